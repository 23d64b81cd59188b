"""POST /settings, network part: the MQTT and OCPP blocks (interfaces.md 1.5, 3.2).

Decides which MQTT/OCPP parameters a request may change and the fork's answers:
`mqtt_heartbeat` / `mqtt_change_only` are taken silently from any request (invalid
values ignored); the MQTT connection block only with `mqtt_update=1`; the OCPP block
only with `ocpp_update=1`, with the fork's URL, ChargeBoxId and key checks. Both blocks
are written to flash at once (settings-and-menu.md 6.2); reconnecting with the new
values is a side effect of `app.configure` for those keys.
"""

from micropython import const

from smartevse.api.params import NOT_ALLOWED, to_int

PASSWORD_PLACEHOLDER = "\u2022" * 8   # eight bullets: the web page shows them for a set password
OCPP_NOT_ENABLED = "Can only update when OCPP enabled"
_MQTT_DEFAULT_PORT = const(1883)
_URL_SAFE = ".:/-_?=&@%+#[]"


def apply_mqtt_publish_options(app, params):
    """mqtt_heartbeat (10..300 s) and mqtt_change_only (0/1): no answer, bad values
    ignored (the fork processes them before everything else)."""
    if "mqtt_heartbeat" in params:
        app.configure("mqtt_heartbeat", to_int(params["mqtt_heartbeat"]))
    if "mqtt_change_only" in params:
        app.configure("mqtt_change_only", to_int(params["mqtt_change_only"]))


def apply_mqtt_block(app, params, out):
    """`mqtt_update` present: only the MQTT connection settings, and only with value 1."""
    if to_int(params["mqtt_update"]) != 1:
        app.request_save()
        return
    values = app.settings.values
    if "mqtt_host" in params:
        _set_text(app, "mqtt_host", str(params["mqtt_host"]), "mqtt_host", out)
    if "mqtt_port" in params:
        port = to_int(params["mqtt_port"])
        error = app.configure("mqtt_port", port if port else _MQTT_DEFAULT_PORT)
        out["mqtt_port"] = values["mqtt_port"] if error is None else NOT_ALLOWED
    if "mqtt_topic_prefix" in params:
        prefix = str(params["mqtt_topic_prefix"])
        if not prefix:
            prefix = "SmartEVSE-" + str(app.serial_nr)     # the fork's host name
        _set_text(app, "mqtt_topic_prefix", prefix, "mqtt_topic_prefix", out)
    if "mqtt_username" in params:
        _set_text(app, "mqtt_username", str(params["mqtt_username"]), "mqtt_username", out)
    if "mqtt_password" in params:
        # Empty or the placeholder keeps the stored password (clients re-POST forms).
        password = str(params["mqtt_password"])
        error = None
        if password and password != PASSWORD_PLACEHOLDER:
            error = app.configure("mqtt_password", password)
        out["mqtt_password_set"] = values["mqtt_password"] != "" if error is None \
            else NOT_ALLOWED
    if "mqtt_tls" in params:
        error = app.configure("mqtt_tls", 1 if str(params["mqtt_tls"]) == "1" else 0)
        out["mqtt_tls"] = bool(values["mqtt_tls"]) if error is None else NOT_ALLOWED
    if "mqtt_ca_cert" in params:
        cert = str(params["mqtt_ca_cert"])
        error = app.configure("mqtt_ca_cert", cert)
        out["mqtt_ca_cert_set"] = cert != "" if error is None else NOT_ALLOWED
    save_now(app)


def _set_text(app, key, text, answer, out):
    error = app.configure(key, text)
    out[answer] = app.settings.values[key] if error is None else NOT_ALLOWED


def save_now(app):
    """MQTT and OCPP block changes are written at once (settings-and-menu.md 6.2)."""
    save = getattr(app, "save_now", None)
    if save is not None:
        save()
    else:
        app.request_save()


def apply_ocpp_block(app, params, out):
    """`ocpp_update=1`: mode, then URL, id, key and FreeVend, each on its own."""
    values = app.settings.values
    if "ocpp_mode" in params:
        error = app.configure("ocpp_mode", to_int(params["ocpp_mode"]))
        out["ocpp_mode"] = values["ocpp_mode"] if error is None else NOT_ALLOWED
    enabled = values["ocpp_mode"] == 1
    if "ocpp_backend_url" in params:
        url = str(params["ocpp_backend_url"])
        _set_ocpp(app, "ocpp_backend_url", url, validate_backend_url(url), enabled, out)
    if "ocpp_cb_id" in params:
        cb_id = str(params["ocpp_cb_id"])
        _set_ocpp(app, "ocpp_cb_id", cb_id, validate_charge_box_id(cb_id), enabled, out)
    if "ocpp_auth_key" in params:
        key = str(params["ocpp_auth_key"])
        error = "Auth key exceeds 40 characters" if len(key) > 40 else None
        _set_ocpp(app, "ocpp_auth_key", key, error, enabled, out)
    if "ocpp_auto_auth" in params:
        auto = 1 if to_int(params["ocpp_auto_auth"]) else 0
        _set_ocpp(app, "ocpp_auto_auth", auto, None, enabled, out)
    if "ocpp_auto_auth_idtag" in params:
        _set_ocpp(app, "ocpp_auto_auth_idtag", str(params["ocpp_auto_auth_idtag"]), None,
                  enabled, out)
    save_now(app)


def _set_ocpp(app, key, value, error, enabled, out):
    if error is None and not enabled:
        error = OCPP_NOT_ENABLED
    if error is None and app.configure(key, value) is not None:
        error = NOT_ALLOWED
    out[key] = app.settings.values[key] if error is None else error


def validate_backend_url(url):
    """None when url is a usable OCPP central-system URL, else the fork's error text."""
    if not url:
        return "URL is empty"
    if url.startswith("wss://"):
        rest = url[6:]
    elif url.startswith("ws://"):
        rest = url[5:]
    else:
        return "URL must start with ws:// or wss://"
    end = len(rest)
    for sep in "/?#":
        i = rest.find(sep)
        if 0 <= i < end:
            end = i
    host = rest[:end]
    if "@" in host:
        return "URL must not contain embedded user:pass@ credentials"
    if not host:
        return "URL must start with ws:// or wss://"
    if _is_loopback(host):
        return "URL must not point to the charger itself (loopback / 127.x / ::1)"
    lower = host.lower()
    if lower.startswith("169.254.") or lower.startswith("fe80:") \
            or lower.startswith("[fe80:"):
        return "URL must not point to link-local (169.254.x / fe80::)"
    for ch in rest:
        if not (ch.isalpha() or ch.isdigit()) or ord(ch) > 127:
            if ch not in _URL_SAFE:
                return "Invalid URL"
    return None


def _is_loopback(host):
    lower = host.lower()
    for name in ("localhost", "0.0.0.0", "::1", "[::1]"):
        if lower == name or lower.startswith(name + ":"):
            return True
    return lower.startswith("127.") or lower.startswith("[::1]")


def validate_charge_box_id(cb_id):
    """None for 1..20 printable ASCII characters without < > & " ', else the error."""
    if not cb_id:
        return "ChargeBoxId is empty"
    if len(cb_id) > 20:
        return "ChargeBoxId exceeds 20 characters"
    for ch in cb_id:
        if ord(ch) < 0x20 or ord(ch) > 0x7E or ch in "<>&\"'":
            return "ChargeBoxId contains invalid characters"
    return None
