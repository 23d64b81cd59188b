"""Run inside the Home Assistant venv (.venv-ha): validate MQTT discovery configs with Home
Assistant's own schemas. stdin: JSON [[topic, payload], ...]; stdout: JSON {topic: error or
null}. Abbreviated keys are expanded first, as Home Assistant's discovery does."""

import importlib
import json
import sys

import homeassistant.components.persistent_notification  # noqa: F401  (settles an import cycle)
from homeassistant.components.mqtt.abbreviations import ABBREVIATIONS, DEVICE_ABBREVIATIONS


def expand(config):
    config = {ABBREVIATIONS.get(key, key): value for key, value in config.items()}
    device = config.get("device")
    if isinstance(device, dict):
        config["device"] = {DEVICE_ABBREVIATIONS.get(k, k): v for k, v in device.items()}
    return config


def main():
    results = {}
    for topic, payload in json.load(sys.stdin):
        component = topic.split("/")[1]
        try:
            module = importlib.import_module("homeassistant.components.mqtt." + component)
            module.DISCOVERY_SCHEMA(expand(json.loads(payload)))
            results[topic] = None
        except Exception as exc:           # the schema's own message
            results[topic] = "%s: %s" % (type(exc).__name__, exc)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
