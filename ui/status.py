"""The status screen and its status line (settings-and-menu.md 3.4, 3.5, D4).

Pure: a StatusView in, the 7 slot texts of LAYOUT_STATUS out, each cut to 21 characters.
"""

from micropython import const

from smartevse.core.states import (ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, LESS_6A, MODE_SMART,
                                   MODE_SOLAR, STATE_C, STATE_D, iec_state)
from ui.fmt import fmt_d1, fmt_kw, fmt_kwh, fmt_mmss
from ui.icons import ICON_NORMAL, ICON_PAUSED, ICON_SMART, ICON_SOLAR, ICON_STOPPED
from ui.layout import ROW_CHARS

_RFID_INVALID = "Invalid"        # 4.4: the status text after an unknown card
# 3.5: access OFF with OCPP deciding: the connector status (interfaces.md 3.5) as text
_OCPP_TEXTS = ("Available", "AVAILABLE", "Charging", "CHARGING IN PROGRESS",
               "SuspendedEV", "CHARGING IN PROGRESS", "SuspendedEVSE", "CHARGING IN PROGRESS",
               "Finishing", "FINISHED CHARGING", "Reserved", "RESERVED",
               "Unavailable", "OUT OF ORDER", "Faulted", "NO SERVICE")
# 3.5: OCPP's transaction notifications, by the code smartevse/ocpp/session.py gives them
OCPP_NOTICES = ("", "ACCEPTED RFID CARD", "INVALID RFID CARD", "OFFLINE, TRY LATER",
                "BLOCKED - RESERVED", "TIMEOUT, TRY AGAIN", "PLUG IN VEHICLE",
                "TRANSACTION STARTED", "TRANSACTION STOPPED")
ROTATE_S = const(4)            # status-line rotation and RCM pages (3.3, 3.5)


def iec_letter(state_id, error_flags):
    """Row 0's IEC 61851 state (interfaces.md 0.2): any error but LESS_6A forces E;
    unknown states are F."""
    return iec_state(state_id, error_flags)


def mode_title(access, mode):
    """Row 0's icon and word (3.4)."""
    if access == ACCESS_OFF:
        return ICON_STOPPED + " STOPPED"
    if access == ACCESS_PAUSE:
        return ICON_PAUSED + " PAUSED"
    if mode == MODE_SOLAR:
        return ICON_SOLAR + " SOLAR"
    if mode == MODE_SMART:
        return ICON_SMART + " SMART"
    return ICON_NORMAL + " NORMAL"



def _charging_rotation(view):
    """The state-C texts of 3.5 in order; skipped entries are left out (D4: countdown)."""
    stop_s = 0
    if view.mode == MODE_SOLAR:
        for timer_s in (view.solar_stop_timer_s, view.max_sum_mains_timer_s):
            if timer_s and (not stop_s or timer_s < stop_s):
                stop_s = timer_s
    charging = "STOP IN " + fmt_mmss(stop_s) if stop_s else "CHARGING"
    texts = ["{}P CHARGING".format(view.phases)]
    if view.grid_relay_open:
        texts.append("LIMITED")
    texts.append(charging)
    if view.ev_meter_type:
        texts.append(fmt_kw(view.ev_power_w) + " kW")
        if view.session_wh is not None:
            texts.append(fmt_kwh(view.session_wh) + " kWh")
    texts.append(charging)
    return texts


def status_line(view, cycle_s):
    """Row 7 (3.5), first match wins; cycle_s = seconds on the rotation clock."""
    if view.ocpp_notice:
        return OCPP_NOTICES[view.ocpp_notice]
    if view.lock_error:
        return "Lock error"
    if view.state_id == STATE_D:
        return "Ventilation required"
    if view.error_flags & LESS_6A and view.access == ACCESS_ON:
        return "WAITING FOR SOLAR" if view.mode == MODE_SOLAR else "WAITING FOR POWER"
    if view.state_id == STATE_C:
        texts = _charging_rotation(view)
        return texts[(cycle_s // ROTATE_S) % len(texts)]
    delay = " {}".format(view.charge_delay_s) if view.charge_delay_s else ""
    if view.phase_switch_to and view.phase_switch_to != view.phases:
        return "{}P -> {}P{}".format(view.phases, view.phase_switch_to, delay)
    if view.access == ACCESS_ON:
        return "READY TO CHARGE" + delay
    if view.access == ACCESS_PAUSE:
        return view.linky_text or "PAUSED"      # the Linky gate's pause says why (9.1)
    status = view.ocpp_status
    if status is not None:
        if status == "Preparing":
            return "PLEASE AUTHORIZE" if view.ocpp_plugged else "PLUG IN VEHICLE"
        for k in range(0, len(_OCPP_TEXTS), 2):
            if _OCPP_TEXTS[k] == status:
                return _OCPP_TEXTS[k + 1]
    if 1 <= view.rfid_reader <= 5:
        return ("INVALID RFID CARD" if view.rfid_status_text == _RFID_INVALID
                else "PRESENT RFID CARD")
    if view.start_s:
        from ui.when import start_at        # loaded with the first delayed start (heap)
        return "START @ " + start_at(view.start_s, view.now_s)
    return view.linky_text or "ACCESS DENIED"


def title_row(access, mode):
    return mode_title(access, mode)[:ROW_CHARS - 3]


def ev_row(ev_meter_type, ev_da, offered_da):
    if ev_meter_type and ev_da is not None:
        return "EV   {}A->{}A".format(fmt_d1(offered_da), fmt_d1(ev_da))[:ROW_CHARS]
    return "EV SET {}A".format(fmt_d1(offered_da))[:ROW_CHARS]


def mains_total_da(mains_da):
    """Sum of the mains phase currents in dA, or None when unknown."""
    if mains_da is None:
        return None
    total_da = 0
    for current_da in mains_da:
        total_da += current_da
    return total_da


def main_row(mains_limit_a, total_da):
    if total_da is None:
        return "MAIN {}A->N/A".format(mains_limit_a)[:ROW_CHARS]
    return "MAIN {}A->{}A".format(mains_limit_a, fmt_d1(total_da))[:ROW_CHARS]


def grid_row(mains_power_w):
    if mains_power_w is None:
        return "GRID N/A"
    return "GRID {} kW".format(fmt_kw(mains_power_w))[:ROW_CHARS]


def session_row(session_wh, session_live):
    if session_wh is None:
        return "SESSION N/A"
    session = "SESSION {} {} kWh".format("LIVE" if session_live else "LAST", fmt_kwh(session_wh))
    if len(session) > ROW_CHARS:               # keep the unit whole: "12.35kWh"
        session = session[:-4] + "kWh"
    return session[:ROW_CHARS]


def status_texts(view, cycle_s):
    """The 7 slot texts of the status screen (3.4), each cut to 21 characters."""
    return (title_row(view.access, view.mode),
            iec_letter(view.state_id, view.error_flags),
            ev_row(view.ev_meter_type, view.ev_da, view.offered_da),
            main_row(view.mains_limit_a, mains_total_da(view.mains_da)),
            grid_row(view.mains_power_w),
            session_row(view.session_wh, view.session_live),
            status_line(view, cycle_s)[:ROW_CHARS])
