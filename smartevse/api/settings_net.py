"""POST /settings, network part: the MQTT and OCPP blocks (interfaces.md 1.5, 3.2).

Decides when the blocks are taken: the MQTT connection block only with
`mqtt_update=1` (and then nothing else of the request), the OCPP block only with
`ocpp_update=1`; both are written to flash at once (settings-and-menu.md 6.2). Which
parameter sets which setting, and how it is answered, is the table's (the R_MQTT and
R_OCPP rows through `settings_apply.apply_rows`); the URL, ChargeBoxId and key rules
are `settings/text_rules.py`. Reconnecting with the new values is a side effect of the
change (a later issue's MQTT and OCPP links).

The MQTT CA certificate is not a setting: a PEM does not fit the NVM record
(architecture.md "Device budget"), so the user copies it onto the CIRCUITPY drive and
a request carrying `mqtt_ca_cert` is answered with that hint.
"""

from smartevse.api.params import to_int
from smartevse.api.settings_apply import apply_rows
from smartevse.settings.table import MQTT_CA_CERT_PATH, R_MQTT, R_OCPP

CA_CERT_HINT = ("not stored by REST: copy the PEM file to " + MQTT_CA_CERT_PATH
                + " on the CIRCUITPY drive")


def post_mqtt_block(app, params, out):
    """`mqtt_update` present: only the MQTT connection settings, and only with value 1."""
    if to_int(params["mqtt_update"]) != 1:
        app.request_save()
        return
    apply_rows(app, params, R_MQTT, out)
    if "mqtt_ca_cert" in params:
        out["mqtt_ca_cert_set"] = CA_CERT_HINT
    save_now(app)


def post_ocpp_block(app, params, out):
    """`ocpp_update=1`: mode, URL, id, key and FreeVend, as one set of changes (the
    URL, id, key and FreeVend need OCPP enabled, by this request or before)."""
    apply_rows(app, params, R_OCPP, out)
    save_now(app)


def save_now(app):
    """MQTT and OCPP block changes are written at once (settings-and-menu.md 6.2)."""
    save = getattr(app, "save_now", None)
    if save is not None:
        save()
    else:
        app.request_save()
