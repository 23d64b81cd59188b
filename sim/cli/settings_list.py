"""The `settings` listing: every row of the one settings table (settings/table.py) as
the menu knows it: key, LCD label, value, unit, limits or options, whether the menu
shows it now."""

from smartevse.settings import facts
from smartevse.settings.table import KEYS, OPTIONS

_UNITLESS = ("enum", "-", "bool", "str", "mask", "reg", "10^x", "rgb")


def choices(i):
    """The option texts joined ("Normal, Smart, Solar"), else the limits ("6..80 A")."""
    options = OPTIONS[i]
    if options is not None:
        return ", ".join(text for text in options.split("|") if text)
    return facts.limits_text(i)


def rows(values, name_filter=""):
    """One tuple per setting: (key, label, value text, unit, choices, visible)."""
    wanted = name_filter.lower()
    out = []
    for i, key in enumerate(KEYS):
        label = facts.label(i) or ""
        if wanted and wanted not in key.lower() and wanted not in label.lower():
            continue
        value = facts.label_of(key, values[key]) if key in values else "(action)"
        unit = facts.unit(i)
        out.append((key, label, value, "" if unit in _UNITLESS else unit, choices(i),
                    "yes" if facts.visible(i, values) else "no"))
    return out


def table_text(values, name_filter=""):
    """The listing as aligned text lines, with a header."""
    header = ("key", "label", "value", "unit", "limits or options", "shown")
    lines = [header] + rows(values, name_filter)
    if len(lines) == 1:
        return f"no setting matches {name_filter!r}"
    widths = [min(max(len(str(row[c])) for row in lines), 24) for c in range(5)]
    return "\n".join("  ".join(str(row[c]).ljust(widths[c]) for c in range(5)) + "  " + row[5]
                     for row in lines)
