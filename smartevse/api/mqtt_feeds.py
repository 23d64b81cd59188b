"""MQTT Set/HomeWizardIP and Set/LinkyMeter (interfaces.md 2.4); loaded with the first one."""

# Pure. Set/HomeWizardIP: the P1 meter's address typed by hand (modbus.md 8.7), "" = back
# to mDNS discovery; kept as `app.homewizard_ip` and shown as GET /settings'
# mains_meter.host. Set/LinkyMeter: Linky telemetry from an external bridge; the record
# becomes `app.linky`, which the HP/HC gate (charging.md 9.1), GET /settings' linky_*,
# /ws/data's linky_is_hp and the Linky* MQTT topics it provides (api/mqtt_linky.fill_bridge,
# modbus.md 8.6) read, and it turns unavailable 300 s after the last message. An
# Eastron-type mains that reads the Linky itself (modbus.md 8.6) keeps its place.

from micropython import const

_STALE_S = const(300)           # 2.4: stale after 300 s without a message
# (low, high) of each LinkyMeter field: hp, hc, overflow, V_L1, I_L1, VA, E_total, kVA,
# E_hp, E_hc (2.4)
_RANGES = ((0, 1), (0, 1), (0, 1), (0, 300), (-200, 200), (0, 100000), (0, 2000000000),
           (0, 100), (0, 2000000000), (0, 2000000000))


def home_wizard_ip(app, payload):
    """A dotted IPv4 address (< 16 chars) or "": True when taken."""
    if payload and not _ipv4(payload):
        return False
    app.homewizard_ip = payload
    return True


def _ipv4(text):
    parts = text.split(".")
    if len(text) > 15 or len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() or len(part) > 3 or int(part) > 255:
            return False
    return True


class LinkyFeed:
    """The last Set/LinkyMeter values; unavailable 300 s after the last one."""

    def __init__(self, app):
        self._app = app
        self.at_s = 0
        self.available = 0
        self.is_hp = 0
        self.is_hc = 0
        self.overflow = 0
        self.values = ()        # V_L1, I_L1, VA, E_total, kVA, E_hp, E_hc as sent (text)
        app.loop.add(1000, self.step)    # a service of its own: the readers' chains stay flat

    def step(self, now_ms):
        if self.available and self._app.uptime_s() - self.at_s >= _STALE_S:
            self.available = self.is_hp = self.is_hc = 0     # data lost, as the Eastron's


def linky_meter(app, payload):
    """`hp:hc:overflow:V_L1:I_L1:VA:E_total:kVA:E_hp:E_hc`: True when taken."""
    parts = payload.split(":")
    if len(parts) != len(_RANGES):
        return False
    for i in range(len(parts)):
        if not _in_range(parts[i].strip(), _RANGES[i], i < 3):
            return False
    if parts[0] == "1" and parts[1] == "1":
        return False                           # not peak and off-peak hours together
    record = getattr(app, "linky", None)
    if not isinstance(record, LinkyFeed):
        if record is not None and record.available:
            return False                       # the Eastron mains reads the Linky itself
        record = app.linky = LinkyFeed(app)
    record.at_s = app.uptime_s()
    record.available = 1
    record.is_hp = int(parts[0])
    record.is_hc = int(parts[1])
    record.overflow = int(parts[2])
    record.values = tuple(part.strip() for part in parts[3:])
    return True


def _in_range(text, limits, flag):
    # A flag is "0" or "1"; a measure a decimal number (the bridge sends floats)
    if flag:
        return text == "0" or text == "1"
    body = text[1:] if text[:1] == "-" else text
    whole, _, fraction = body.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return False
    # no call below this frame: the command's chain is the MQTT scenario's deepest
    value = -int(whole) if text[:1] == "-" else int(whole)   # -200.5 -> -200: past the bound
    edge = limits[0] if text[:1] == "-" else limits[1]
    return limits[0] <= value <= limits[1] and not (value == edge and fraction.strip("0"))
