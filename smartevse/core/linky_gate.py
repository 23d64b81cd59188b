# The fork's Linky tariff gate (charging.md 9.1), evaluated once a second after delayed
# charging and only while neither a start nor a stop time is set. Peak hours (HP) without
# the bypass, or no Linky data with the fail-safe on, hold access at PAUSE; off-peak lifts
# the gate's own pause (decision L1, docs/architecture.md: never an OFF set by a person,
# and only when the gate held it, so an API "Pause" in off-peak hours stays).
"""Linky HP/HC gate on access (charging.md 9.1)."""

from micropython import const

from smartevse.core.states import ACCESS_ON, ACCESS_PAUSE

NO_CHANGE = const(-1)
WAIT_HC = const(1)              # why the gate holds: peak hours
LINKY_OFFLINE = const(2)        # no Linky data, fail-safe on
TEXTS = ("", "WAIT HC", "LINKY OFFLINE")   # settings-and-menu.md 3.5


class LinkyGate:
    """Holds access at PAUSE in Linky peak hours or without Linky data (9.1)."""

    def __init__(self):
        self.hold = 0           # 0, WAIT_HC or LINKY_OFFLINE

    def step(self, values, linky, access):
        """One second: the access to set, or NO_CHANGE. `linky`: the Eastron reads or None."""
        if values["starttime"] or values["stoptime"]:
            self.hold = 0       # the schedule decides access (9.1)
            return NO_CHANGE
        if linky is not None and linky.available:
            if linky.is_hp and not values["linky_hp_bypass"]:
                return self._pause(WAIT_HC, access)
            held = self.hold
            self.hold = 0
            return ACCESS_ON if held and access == ACCESS_PAUSE else NO_CHANGE
        if values["linky_failsafe"]:
            return self._pause(LINKY_OFFLINE, access)
        return NO_CHANGE        # data lost, no fail-safe: as it was (fork)

    def _pause(self, why, access):
        self.hold = why
        return ACCESS_PAUSE if access == ACCESS_ON else NO_CHANGE

    def text(self, access):
        """The status-line text while the gate holds and access is not ON, else ""."""
        return TEXTS[self.hold] if access != ACCESS_ON else ""
