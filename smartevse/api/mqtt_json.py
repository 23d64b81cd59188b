"""GET /mqtt.json and /mqtt_ca_cert: the MQTT link's view (interfaces.md 1.16)."""

# The publish cache is the MQTT client's (`app.mqtt.cache`: topic -> {"value" or
# "str_hash", "last_pub_s", "stale"}); without an MQTT client it is empty. The CA
# certificate is the PEM file on the CIRCUITPY drive (settings_net.CA_CERT_HINT); a
# certificate is public, so returning it is not returning a secret.

from smartevse.settings.table import MQTT_CA_CERT_PATH


def get_mqtt_json(app, params, body):
    values = app.settings.values
    mqtt = getattr(app, "mqtt", None)
    prefix = values["mqtt_topic_prefix"] or "SmartEVSE/" + str(app.serial_nr)
    config = {"host": values["mqtt_host"], "port": values["mqtt_port"], "prefix": prefix,
              "connected": bool(getattr(mqtt, "connected", False)),
              "heartbeat_s": values["mqtt_heartbeat"]}
    cache = getattr(mqtt, "cache", None) if mqtt is not None else None
    return 200, {"config": config, "cache": dict(cache) if cache else {}}


def get_ca_cert(app, params, body):
    try:
        with open(MQTT_CA_CERT_PATH) as f:
            return 200, f.read()
    except OSError:
        return 200, ""
