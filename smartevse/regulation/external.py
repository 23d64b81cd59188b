# Meter readings from outside (REST POST /currents, MQTT Set/MainsMeter, Set/EVMeter,
# Set/HomeBatteryCurrent; interfaces.md 1.7, 2.4): who may feed what, and the API
# staleness fallback of charging.md 3.5 (re-armed by every mains update; 0 = off).
"""External meter feeds and the API mains staleness (charging.md 3.5, 4.2)."""

from smartevse.core.states import LOADBL_FIRST_NODE, METER_API

NOT_ON_NODE = "not allowed on slave"
NOT_API = "meter type is not API"


class ExternalFeeds:
    """What arrived from outside, for the regulation and for the publishers."""

    def __init__(self, timeout_s):
        self.stale_left_s = timeout_s     # API mains data: seconds until stale
        self.stale = False
        self.stale_count = 0
        self.original_da = [0, 0, 0]      # mains as received, before the battery correction
        self.power_w = 0                  # EV meter feed (API type)
        self.import_wh = 0
        self.export_wh = 0

    def take(self, evse, v, mains_da, battery_da, ev_da, ev_power_w, ev_energy_wh):
        """Apply one feed; None when taken, else the refusal text."""
        node = v["loadbl"] >= LOADBL_FIRST_NODE
        if battery_da is not None:
            if node:
                return NOT_ON_NODE
            evse.home_battery(battery_da)          # ValueError when absurd
        if mains_da is not None:
            if node:
                return NOT_ON_NODE
            if v["mains_meter_type"] != METER_API:
                return NOT_API
            self.original_da[:] = mains_da
            evse.mains_reading(mains_da[0], mains_da[1], mains_da[2])
            self.stale_left_s = v["mains_meter_timeout"]
            self.stale = False
        if ev_da is not None or ev_power_w is not None or ev_energy_wh is not None:
            if v["ev_meter_type"] != METER_API:
                return NOT_API
            if ev_da is not None:
                evse.ev_meter_reading(ev_da[0], ev_da[1], ev_da[2])
            if ev_power_w is not None:
                self.power_w = ev_power_w
            if ev_energy_wh is not None:
                self.import_wh = ev_energy_wh
                self.export_wh = 0
        return None

    def tick_1s(self, evse, v):
        """API staleness (3.5): once the feed is older than the timeout, every phase reads
        MAINS x 10 (no headroom: the current can no longer rise) until data arrives."""
        if v["mains_meter_type"] != METER_API or v["loadbl"] >= LOADBL_FIRST_NODE \
                or not v["mains_meter_timeout"]:
            return
        if self.stale_left_s > 0:
            self.stale_left_s -= 1
            return
        if not self.stale:
            self.stale = True
            self.stale_count += 1
        safe_da = v["current_main"] * 10
        evse.mains_reading(safe_da, safe_da, safe_da)     # keeps CT_NOCOMM away (3.5)
