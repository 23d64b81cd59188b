# The home battery's charging counts as Solar surplus (charging.md 4.2): the value (dA,
# + = charging) arrives over REST/MQTT; it applies only in Solar, only while <= 60 s old.
"""Home-battery compensation (charging.md 4.2)."""

from micropython import const

from smartevse.core.policy import C2_ALWAYS_OFF
from smartevse.core.states import MODE_SOLAR
from smartevse.regulation.share import cdiv

MAX_AGE_S = const(60)
LIMIT_DA = const(10000)         # +/- 1000 A: anything beyond is not a battery reading


def update(reg, current_da):
    """A new battery current (dA); ValueError for an absurd value."""
    if not -LIMIT_DA <= current_da <= LIMIT_DA:
        raise ValueError("home battery current out of range")
    reg.battery_da = current_da
    reg.battery_age_s = 0


def correct(reg, v):
    """On a new mains reading: the battery's current off the phases (CalcIsum)."""
    # A third on each phase; all on L1 with CONTACT 2 Always Off.
    if reg.battery_age_s > MAX_AGE_S:
        reg.battery_da = 0
    battery = reg.battery_da
    if v["mode"] != MODE_SOLAR or battery == 0:
        return
    irms = reg.mains_irms_da
    if v["enable_C2"] == C2_ALWAYS_OFF:
        irms[0] -= battery
    else:
        third = cdiv(battery, 3)
        irms[0] -= third
        irms[1] -= third
        irms[2] -= third
