"""Every Home Assistant discovery config passes Home Assistant's own MQTT discovery schemas
(interfaces.md 2.5; issue 11 item 5). Home Assistant 2024.1.6 lives in its own venv
(.venv-ha, tests/ha/requirements.txt, installed by .ci/run); the check runs there by
subprocess. Without that venv the test skips with the reason; under CI=true it fails."""

import json
import os
import subprocess

import pytest

from sim import Simulation
from smartevse.api import mqtt_discovery

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HA_PYTHON = os.path.join(_ROOT, ".venv-ha", "bin", "python")
VALIDATOR = os.path.join(_ROOT, "tests", "ha", "validate_discovery.py")
PREFIX = "SmartEVSE/51446"
# Entities whose state topic 2.3 publishes only with data this product does not have yet
# (Linky, per-phase energies, the heap on a host; energies stay unpublished while 0, 2.2):
# Home Assistant shows them as unknown.
_NOT_PUBLISHED_YET = {"LinkyInternalTempC", "MainsEnergyL1", "MainsEnergyL2", "MainsEnergyL3",
                      "EVEnergyL1", "EVEnergyL2", "EVEnergyL3",
                      "CircuitImportEnergy", "CircuitExportEnergy", "FreeHeap",
                      "EVImportActiveEnergy",
                      "EVExportActiveEnergy", "MainsImportActiveEnergy",
                      "MainsExportActiveEnergy", "EVPowerL1", "EVPowerL2", "EVPowerL3"}


def _validate(configs):
    if not os.path.exists(HA_PYTHON):
        reason = ("Home Assistant venv missing: python3 -m venv .venv-ha && "
                  ".venv-ha/bin/pip install -r tests/ha/requirements.txt")
        if os.environ.get("CI") == "true":
            pytest.fail("HA schema check unavailable under CI: " + reason)
        pytest.skip(reason)
    done = subprocess.run([HA_PYTHON, VALIDATOR], input=json.dumps(configs),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_every_discovery_config_passes_home_assistants_own_schemas():
    """Given a master with an EV meter, a circuit meter, an RFID reader, a cable lock and a
    home battery value (every entity's condition true), when its discovery configs are
    published, then there is one per entity of 2.5, each passes Home Assistant's DISCOVERY_SCHEMA of its component, its
    state topic is one the controller publishes (2.3), and a config with a wrong
    device_class is refused by the same check (interfaces.md 2.5)."""
    s = Simulation(settings={"ev_meter_type": "Eastron3P", "circuit_meter_type": "API",
                             "loadbl": "Master", "rfid_reader": "EnableAll",
                             "lock": "Solenoid"})
    assert s.mqtt_set("HomeBatteryCurrent", "20")
    s.advance(13)                        # discovery, then a full cycle
    published = s.mqtt_published()
    configs = [[topic, payload] for topic, payload in published.items()
               if topic.startswith("homeassistant/")]
    assert len(configs) == mqtt_discovery.COUNT
    broken = ["homeassistant/sensor/" + PREFIX + "-Broken/config",
              json.dumps({"name": "Broken", "state_topic": PREFIX + "/Broken",
                          "device_class": "amperes"})]
    results = _validate(configs + [broken])
    assert "device_class" in results.pop(broken[0])
    assert {topic: error for topic, error in results.items() if error} == {}
    for topic, payload in configs:
        doc = json.loads(payload)
        suffix = doc["state_topic"][len(PREFIX) + 1:]
        assert doc["unique_id"] == PREFIX + "-" + topic.split("-")[-1].split("/")[0]
        assert suffix in _NOT_PUBLISHED_YET or PREFIX + "/" + suffix in published, suffix
        assert all(isinstance(value, (str, list, dict)) for value in doc.values())
