"""Counts the home battery's charging as Solar surplus (charging.md 4.2).

The value (dA, + = charging) arrives over REST/MQTT; it applies only in Solar and only
while at most 60 s old. Functions over the `Regulation` record.
"""

from micropython import const

from smartevse.core.policy import C2_ALWAYS_OFF
from smartevse.core.states import MODE_SOLAR
from smartevse.regulation.share import cdiv

MAX_AGE_S = const(60)
LIMIT_DA = const(10000)         # +/- 1000 A: anything beyond is not a battery reading


def update(reg, current_da):
    """A new battery current (dA); an absurd value is refused (ValueError), nothing changes."""
    if not -LIMIT_DA <= current_da <= LIMIT_DA:
        raise ValueError("home battery current out of range")
    reg.battery_da = current_da
    reg.battery_age_s = 0


def correct(reg, v):
    """On a new mains reading (CalcIsum): the battery's charging current is taken off the
    mains phases, a third on each (all on L1 with CONTACT 2 Always Off)."""
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
