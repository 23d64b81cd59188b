"""The `--config` file: settings by key or LCD label, and a `[plant]` table.

```toml
MAX = 16
mode = "Normal"
[plant]
cable = 32
ev = "C"
```
"""

import tomllib

# [plant] keys -> (how they are applied, what they take).
PLANT_KEYS = {
    "cable": (lambda p, v: p.cable(rating_a=v), "13, 20, 32 or 63 (A)"),
    "ev": (lambda p, v: p.ev.pilot(v), '"A", "B", "C" or "D"'),
    "load_da": (lambda p, v: p.mains.load_da(*v), "[L1, L2, L3] in dA"),
    "pv_da": (lambda p, v: p.mains.pv_da(*v), "[L1, L2, L3] in dA"),
    "temperature": (lambda p, v: p.temperature(v), "degrees C"),
}


def load(path):
    """(settings, plant) from a TOML file; ValueError with a clear message otherwise."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from None
    plant = data.pop("plant", {})
    if not isinstance(plant, dict):
        raise ValueError(f"{path}: plant must be a [plant] table")
    unknown = set(plant) - set(PLANT_KEYS)
    if unknown:
        raise ValueError(f"{path}: unknown [plant] keys {sorted(unknown)}; known: {', '.join(PLANT_KEYS)}")
    for key, value in data.items():
        if isinstance(value, (dict, list)):
            raise ValueError(f"{path}: setting {key!r} must be a number or a text, not a table or list")
    return data, plant


def apply_plant(sim, plant, path="config"):
    """Set up the plant; ValueError naming the key on a bad value."""
    for key, value in plant.items():
        apply, takes = PLANT_KEYS[key]
        try:
            if key.endswith("_da") and not (isinstance(value, list) and len(value) == 3):
                raise ValueError
            apply(sim.plant, value)
        except (ValueError, TypeError):
            raise ValueError(f"{path}: [plant] {key} must be {takes}, got {value!r}") from None
