"""Access ON/OFF/PAUSE, modes, RFID re-lock and the cable-lock interlock (charging.md 2.6, 4.1, 9, 12 D1/D4/D12)."""

import pytest

from smartevse.core.states import (STATE_A, STATE_B, STATE_B1, STATE_C, STATE_C1, ACCESS_OFF, ACCESS_ON,
                            ACCESS_PAUSE, MODE_NORMAL, MODE_SMART, MODE_SOLAR, LESS_6A,
                            EVENT_ACCESS, EVENT_MODE)
from tests.evse_helpers import Ev, make_evse, plug_in_and_charge, run, run_seconds


def test_access_off_ignores_the_ev():
    """Given access OFF, when an EV shows 9 V for 10 s, then A and no PWM (2.4 row 3/4, 2.6)."""
    evse = make_evse(access=ACCESS_OFF)
    ev = Ev(9)
    run_seconds(evse, ev, 10)
    assert evse.state == STATE_A
    assert evse.duty_1024 == 1024


def test_access_off_while_charging_goes_c1_then_b1_after_6_s():
    """Given C, when access OFF, then C1 (PWM off, contactors closed), B1 after the 6 s C1 timer (2.6)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    events = evse.set_access(ACCESS_OFF)
    assert events & EVENT_ACCESS
    assert evse.state == STATE_C1
    assert evse.duty_1024 == 1024
    assert evse.contactor1
    run_seconds(evse, ev, 6)
    assert evse.state == STATE_C1
    run_seconds(evse, ev, 1)
    assert evse.state == STATE_B1
    assert not evse.contactor1 and not evse.contactor2
    assert evse.pilot_connected                 # B1 with access OFF: no pilot disconnect


def test_pause_while_charging_goes_to_c1():
    """Given C with access ON, when access becomes PAUSE, then C1 and PWM off (2.6)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    evse.set_access(ACCESS_PAUSE)
    assert evse.state == STATE_C1
    assert evse.duty_1024 == 1024


def test_access_is_persisted():
    """Given access ON, when set to OFF, then settings hold 0 and are dirty (2.6)."""
    evse = make_evse()
    evse.set_access(ACCESS_OFF)
    assert evse.settings.values["access"] == ACCESS_OFF
    assert evse.settings.dirty


def test_access_on_does_not_change_the_state_by_itself():
    """Given B1 after access OFF, when access ON, then B only through row 3 after ChargeDelay (2.6)."""
    evse = make_evse()
    ev = Ev(9)
    run(evse, ev, 2)
    evse.set_access(ACCESS_OFF)
    assert evse.state == STATE_B1
    evse.set_access(ACCESS_ON)
    assert evse.state == STATE_B1
    run_seconds(evse, ev, 3)                    # B1's minimum ChargeDelay of 3 s
    run(evse, ev, 1)
    assert evse.state == STATE_B


def test_b1_entry_with_access_on_disconnects_the_pilot_for_5_s():
    """Given C, when power is unavailable and B1 follows with access ON, then CP isolated 5 s (2.3 B1)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    evse.set_power_unavailable()
    ev.level_v = 9
    run(evse, ev, 1)
    assert evse.state == STATE_B1
    assert not evse.pilot_connected
    run_seconds(evse, ev, 4)
    assert not evse.pilot_connected
    run_seconds(evse, ev, 1)
    run(evse, ev, 1)                            # reconnection happens in the 10 ms step
    assert evse.pilot_connected


@pytest.mark.parametrize("settings", [{"rfid_reader": 1}, {"rfid_reader": 2}, {"rfid_reader": 6},
                                      {"switch": 1}, {"switch": 2}])
def test_session_end_clears_access_with_an_authorisation_source(settings):
    """Given an authorisation source, when the EV is unplugged after charging, then access OFF (D1)."""
    evse = make_evse(**settings)
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 12
    run(evse, ev, 1)
    assert evse.state == STATE_A
    assert evse.access == ACCESS_OFF


def test_session_end_keeps_access_without_an_authorisation_source():
    """Given no RFID/switch/OCPP authorisation, when unplugged, then access stays ON, next EV charges (D1)."""
    evse = make_evse()
    ev = Ev()
    plug_in_and_charge(evse, ev)
    ev.level_v = 12
    run(evse, ev, 1)
    assert evse.access == ACCESS_ON
    plug_in_and_charge(evse, ev)
    assert evse.state == STATE_C


def test_rfid_relock_timer_turns_access_off_after_60_s_idle():
    """Given EnableAll and access ON in A, when no EV for 60 s, then access OFF (9.2, 2.5-9)."""
    evse = make_evse(rfid_reader=1)
    ev = Ev(12)
    run_seconds(evse, ev, 59)
    assert evse.access == ACCESS_ON
    run_seconds(evse, ev, 2)
    assert evse.access == ACCESS_OFF


def test_set_mode_refuses_out_of_range():
    """Given any setup, when mode 3 is asked, then an error and nothing changes (4.1)."""
    evse = make_evse()
    assert evse.set_mode(3) is not None
    assert evse.settings.values["mode"] == MODE_NORMAL


@pytest.mark.parametrize("mask, mode", [(2, MODE_SMART), (4, MODE_SOLAR), (6, MODE_SMART), (6, MODE_SOLAR)])
def test_set_mode_refuses_disabled_modes(mask, mode):
    """Given MODES disabling a mode, when it is asked, then an error (4.1, D8)."""
    evse = make_evse(modes_disabled=mask)
    assert evse.set_mode(mode) is not None
    assert evse.settings.values["mode"] == MODE_NORMAL
    assert evse.set_mode(MODE_NORMAL) is None


def test_set_mode_refuses_smart_without_mains_meter_on_standalone():
    """Given no mains meter on a standalone, when Smart or Solar is asked, then an error (4.1)."""
    evse = make_evse(mains_meter_type=0)
    assert evse.set_mode(MODE_SMART) is not None
    assert evse.set_mode(MODE_SOLAR) is not None
    node = make_evse(mains_meter_type=0, loadbl=2)
    assert node.set_mode(MODE_SMART) is None


def test_set_mode_smart_clears_less_6a_and_delay_and_persists():
    """Given LESS_6A and a charge delay, when Smart is set, then both clear, access ON, mode stored (4.1)."""
    evse = make_evse(ocpp_mode=1)
    evse.set_ocpp_limit(0)                  # below MIN: no current available (4.5 6)
    run_seconds(evse, Ev(9), 1)
    assert evse.error_flags & LESS_6A and evse.charge_delay_s == 60
    evse.set_ocpp_limit(-1)
    evse.set_access(ACCESS_OFF)
    assert evse.set_mode(MODE_SMART) is None
    assert not evse.error_flags & LESS_6A
    assert evse.charge_delay_s == 0
    assert evse.access == ACCESS_ON
    assert evse.settings.values["mode"] == MODE_SMART and evse.settings.dirty
    assert evse.mode_changed
    assert evse.tick_1s(25) & EVENT_MODE


def test_set_mode_with_a_pending_delayed_start_sets_access_off():
    """Given a delayed start time, when the mode is set, then access OFF (4.1, 9.1)."""
    evse = make_evse(starttime=12345)
    evse.set_mode(MODE_NORMAL)
    assert evse.access == ACCESS_OFF


def test_interlock_waits_for_a_lock_that_never_reports_locked():
    """Given a socket with a solenoid lock that never confirms, when the EV asks 6 V, then B, no PWM, no contactor (D4, D12)."""
    evse = make_evse(lock=1, config=0)
    ev = Ev(9)
    run(evse, ev, 2, lock_locked=False)
    assert evse.state == STATE_B
    assert evse.lock_required
    assert evse.duty_1024 == 1024
    ev.level_v = 6
    run_seconds(evse, ev, 20, lock_locked=False)
    assert evse.state == STATE_B
    assert not evse.contactor1 and not evse.contactor2
    assert evse.duty_1024 == 1024


def test_interlock_releases_once_the_lock_confirms():
    """Given B waiting for the lock, when the feedback confirms, then PWM appears and C follows (D4)."""
    evse = make_evse(lock=2, config=0)
    ev = Ev(9)
    run(evse, ev, 5, lock_locked=False)
    assert evse.duty_1024 == 1024
    run(evse, ev, 1, lock_locked=True)
    assert evse.duty_1024 == 102
    ev.level_v = 6
    run(evse, ev, 53, lock_locked=True)
    assert evse.state == STATE_C
    assert evse.contactor1


def test_fixed_cable_has_no_interlock():
    """Given CONFIG Fixed with LOCK set, then no interlock applies (8: lock only on a socket)."""
    evse = make_evse(lock=1, config=1)
    ev = Ev(9)
    run(evse, ev, 2, lock_locked=False)
    ev.level_v = 6
    run(evse, ev, 51, lock_locked=False)
    assert evse.state == STATE_C
