"""Takes the meter readings and decides when a silent meter (or master link) is an error
(charging.md 4.2, 3.5, 2.5-12).

Functions over the `Regulation` record. Each valid reading stores its three phase
currents and reloads its timeout (`mains_reading`, `ev_reading`, `circuit_reading`; a
node's broadcast in `Regulation.node_current`); once a second `lost_1s` counts the
timeouts down and names the error bits that may be raised now, `alive` the ones that may
clear.
"""

from micropython import const

from smartevse.core.states import (CT_NOCOMM, EV_NOCOMM, LOADBL_FIRST_NODE, METER_API,
                                   METER_DISABLED, METER_HOMEWIZARD_P1, METER_SENSORBOX,
                                   MODE_NORMAL)

MAINS_TIMEOUT_S = const(11)     # mains meter, or a node's master link (3.5)
EV_TIMEOUT_S = const(64)        # 8 x NR_EVSES


def mains_reading(reg, l1_da, l2_da, l3_da):
    """A valid mains reading, dA per phase, signed: store it, mark it fresh for the
    allocation (4.2), reload 11 s (3.5)."""
    irms = reg.mains_irms_da
    irms[0] = l1_da
    irms[1] = l2_da
    irms[2] = l3_da
    if not reg.mains_timeout_s:            # it had gone silent (MQTT MeterRecoveryCount)
        reg.meter_recoveries += 1
    reg.mains_timeout_s = MAINS_TIMEOUT_S
    reg.mains_fresh = True
    reg.mains_age_s = 0


def ev_reading(reg, l1_da, l2_da, l3_da):
    """A valid EV-meter reading, dA per phase: store it (4.2), reload 64 s (3.5)."""
    irms = reg.ev_irms_da
    irms[0] = l1_da
    irms[1] = l2_da
    irms[2] = l3_da
    if not reg.ev_timeout_s:
        reg.meter_recoveries += 1
    reg.ev_timeout_s = EV_TIMEOUT_S


def circuit_reading(reg, l1_da, l2_da, l3_da):
    """A circuit (sub-panel) meter reading: CircuitImeasured, its highest phase (4.2);
    reload its 11 s, as the mains meter's (3.5)."""
    reg.circuit_da = max(l1_da, l2_da, l3_da)
    reg.circuit_timeout_s = MAINS_TIMEOUT_S


def restart(reg):
    """After a settings change (settings-and-menu.md 1.4 rule 8): a stale meter error
    clears at the next second and is raised again only if the meter stays silent."""
    reg.mains_timeout_s = MAINS_TIMEOUT_S
    reg.ev_timeout_s = EV_TIMEOUT_S
    reg.circuit_timeout_s = MAINS_TIMEOUT_S


def lost_1s(reg, v):
    """Count the timeouts down; returns CT_NOCOMM / EV_NOCOMM for a meter that stayed
    silent past its timeout and may raise now (not in Normal; a node's master link in
    every mode). Without a meter its timeout is held full."""
    lost = 0
    normal = v["mode"] == MODE_NORMAL
    node = v["loadbl"] >= LOADBL_FIRST_NODE
    api = not node and v["mains_meter_type"] == METER_API and v["mains_meter_timeout"] > 0
    if node or v["mains_meter_type"] != METER_DISABLED:
        if reg.mains_timeout_s > 0:
            reg.mains_timeout_s -= 1
            if not reg.mains_timeout_s:        # gone silent (MQTT MeterTimeoutCount)
                reg.meter_timeouts += 1
        elif node or not (normal or api):      # the API feed goes stale instead (3.5, D14)
            lost |= CT_NOCOMM
    else:
        reg.mains_timeout_s = MAINS_TIMEOUT_S
    if api:
        _api_stale_1s(reg, v)
    if v["ev_meter_type"] != METER_DISABLED:
        if reg.ev_timeout_s > 0:
            reg.ev_timeout_s -= 1
            if not reg.ev_timeout_s:
                reg.meter_timeouts += 1
        elif not normal:
            lost |= EV_NOCOMM
    else:
        reg.ev_timeout_s = EV_TIMEOUT_S
    # The circuit meter (fork, 4.8): 3.5 names no timer for it, and the fork keeps its last
    # reading for ever. Decision: while its limit is on (MaxCircuitMains > 0), a sub-panel
    # meter the master polls (a table-row type of modbus.md 8.2) silent for the mains
    # meter's 11 s raises CT_NOCOMM as a silent mains meter does, in every mode, since the
    # limit holds in every mode (4.8); the next reading clears it. Without the limit it
    # only counts energy: no error.
    circuit_type = v["circuit_meter_type"]
    if (not node and v["max_circuit_mains"] > 0 and circuit_type > METER_SENSORBOX
            and circuit_type != METER_API and circuit_type != METER_HOMEWIZARD_P1):
        if reg.circuit_timeout_s > 0:
            reg.circuit_timeout_s -= 1
        else:
            lost |= CT_NOCOMM
    else:
        reg.circuit_timeout_s = MAINS_TIMEOUT_S
    return lost


def _api_stale_1s(reg, v):
    # API staleness (3.5, D14): no feed for mains_meter_timeout s -> every phase reads
    # MAINS x 10 once, so the current can no longer rise; the next update ends it.
    age_s = reg.mains_age_s
    if age_s < 65535:
        reg.mains_age_s = age_s = age_s + 1
    if age_s == v["mains_meter_timeout"]:
        reg.api_stale_count += 1
        irms = reg.mains_irms_da
        irms[0] = irms[1] = irms[2] = v["current_main"] * 10
        reg.mains_fresh = True


def alive(reg):
    """CT_NOCOMM / EV_NOCOMM whose timeout is running: a reading came in time (recovery)."""
    mains = reg.mains_timeout_s > 0 and reg.circuit_timeout_s > 0     # both meters of CT_NOCOMM
    return (CT_NOCOMM if mains else 0) | (EV_NOCOMM if reg.ev_timeout_s > 0 else 0)
