"""External switch input: debounce, boot behaviour and SWITCH actions (charging.md 3.6)."""
from smartevse.core.switch import SW_PRESSED, SW_RELEASED, SwitchInput
from tests.helpers import make_settings

A, B, C, C1 = 0, 1, 2, 10
OFF, ON, PAUSE = 0, 1, 2
NORMAL, SMART, SOLAR = 0, 1, 2
LESS_6A, RCM_TRIPPED = 0x01, 0x10


class FakeEvse:
    """Records the Evse commands the switch calls (contracts: Evse); the switch only reads
    `state`, `access`, `custom_button` and never assigns an attribute."""

    def __init__(self, settings, state=A, access=ON):
        self.settings = settings
        self.state = state
        self.access = access
        self.error_flags = 0
        self.charge_delay_s = 0
        self.grid_relay_open = False
        self.custom_button = False
        self.shortages_cleared = 0
        self.calls = []

    def set_grid_relay(self, is_open):
        self.grid_relay_open = is_open

    def set_custom_button(self, on):
        self.custom_button = on

    def clear_shortage(self):
        self.shortages_cleared += 1
        self.error_flags &= ~LESS_6A
        self.charge_delay_s = 0
        return 0x02

    def set_access(self, access):
        self.calls.append(("set_access", access))
        self.access = access
        return 0x04

    def set_mode(self, mode):
        self.calls.append(("set_mode", mode))
        self.settings.values["mode"] = mode

    def stop_charging(self, charge_delay_s):
        self.calls.append(("stop_charging", charge_delay_s))
        self.state = C1
        self.charge_delay_s = charge_delay_s

    def clear_rcm(self, rcm_high):
        self.calls.append(("clear_rcm", rcm_high))
        if not rcm_high:
            self.error_flags &= ~RCM_TRIPPED


def setup(function, closed=False, boot_ticks=20, **kwargs):
    """A SwitchInput past boot with the input held at `closed`; returns (switch, evse)."""
    settings = make_settings(switch=function, mode=kwargs.pop("mode", NORMAL))
    evse = FakeEvse(settings, **kwargs)
    sw = SwitchInput(settings)
    hold(sw, evse, closed, boot_ticks)
    return sw, evse


def hold(sw, evse, closed, ticks, rcm_high=False):
    """Sample `closed` for `ticks` 10 ms ticks; returns the OR of the accepted changes."""
    changes = 0
    for _ in range(ticks):
        sw.step_10ms(closed, evse, rcm_high)
        changes |= sw.change
    return changes


def tick(sw, evse, closed):
    """One sample; returns the accepted change (SW_PRESSED / SW_RELEASED / 0)."""
    sw.step_10ms(closed, evse, False)
    return sw.change


def press(sw, evse, ticks=20):
    return hold(sw, evse, True, ticks)


def release(sw, evse, ticks=20):
    return hold(sw, evse, False, ticks)


def actions(evse):
    return [call for call in evse.calls if call[0] != "clear_rcm"]


# --- debounce and boot ---

def test_debounce_accepts_on_the_11th_differing_sample():
    """Given a released button, when pressed for 10 samples, then nothing; on the 11th, the press (3.6)."""
    sw, evse = setup(1)
    assert hold(sw, evse, True, 10) == 0 and not sw.pressed
    assert tick(sw, evse, True) == SW_PRESSED and sw.pressed


def test_bounce_restarts_the_count():
    """Given a press, when one sample bounces back after 10, then the count restarts (3.6)."""
    sw, evse = setup(1)
    hold(sw, evse, True, 10)
    hold(sw, evse, False, 1)
    assert hold(sw, evse, True, 10) == 0
    assert tick(sw, evse, True) == SW_PRESSED


def test_release_is_debounced_too():
    """Given a held press, when released for 10 samples, then still pressed; 11th: released (3.6)."""
    sw, evse = setup(7)
    press(sw, evse)
    assert release(sw, evse, 10) == 0 and sw.pressed
    assert tick(sw, evse, False) == SW_RELEASED and not sw.pressed


def test_buttons_start_released_at_boot():
    """Given a push-button type, when booting with the input open, then no action (3.6)."""
    for function in (1, 3, 6):
        sw, evse = setup(function, closed=False, boot_ticks=50)
        assert evse.calls == [] and not evse.custom_button


def test_switches_apply_their_position_once_at_boot():
    """Given toggle-switch types, when booting, then the current position is applied once after 11 samples (3.6)."""
    sw, evse = setup(2, closed=True, boot_ticks=10, access=OFF)
    assert evse.calls == []
    hold(sw, evse, True, 50)
    assert actions(evse) == [("set_access", ON)]
    sw, evse = setup(2, closed=False, boot_ticks=50)
    assert actions(evse) == [("set_access", OFF)]
    sw, evse = setup(5, closed=False, boot_ticks=50)
    assert evse.grid_relay_open is True
    sw, evse = setup(7, closed=True, boot_ticks=50)
    assert evse.custom_button is True


# --- the table of 3.6 ---

def test_disabled_press_in_c_stops_charging():
    """Given SWITCH Disabled while charging, when pressed, then C -> C1 with ChargeDelay 15 (3.6)."""
    sw, evse = setup(0, state=C)
    assert press(sw, evse) == SW_PRESSED
    assert actions(evse) == [("stop_charging", 15)]
    release(sw, evse)
    assert actions(evse) == [("stop_charging", 15)]


def test_disabled_press_outside_c_does_nothing():
    """Given SWITCH Disabled in B, when pressed, then no state change (3.6)."""
    sw, evse = setup(0, state=B)
    press(sw, evse)
    assert actions(evse) == []


def test_access_button_toggles_access():
    """Given Access B, when pressed, then ON -> OFF, OFF -> ON, PAUSE -> ON; release does nothing (3.6)."""
    sw, evse = setup(1, access=ON)
    press(sw, evse)
    assert evse.access == OFF
    release(sw, evse)
    press(sw, evse)
    assert evse.access == ON
    evse.access = PAUSE
    release(sw, evse)
    press(sw, evse)
    assert evse.access == ON
    assert actions(evse) == [("set_access", OFF), ("set_access", ON), ("set_access", ON)]


def test_access_events_from_the_evse_are_returned():
    """Given Access S, when closed, then step_10ms returns the events set_access returned, once (contract)."""
    sw, evse = setup(2, access=OFF)
    hold(sw, evse, True, 10)
    assert sw.step_10ms(True, evse, False) == 0x04 and sw.change == SW_PRESSED
    assert sw.step_10ms(True, evse, False) == 0 and sw.change == 0


def test_press_without_rcm_level_never_clears_a_trip():
    """Given RCM_TRIPPED, when a caller omits the RCM level, then the press does not clear it (3.4, fail-safe)."""
    sw, evse = setup(1)
    evse.error_flags = RCM_TRIPPED
    for _ in range(20):
        sw.step_10ms(True, evse)
    assert ("clear_rcm", True) in evse.calls and evse.error_flags == RCM_TRIPPED


def test_access_switch_follows_position():
    """Given Access S, when closed then opened, then access ON then OFF (3.6)."""
    sw, evse = setup(2)
    evse.calls.clear()
    press(sw, evse)
    release(sw, evse)
    assert actions(evse) == [("set_access", ON), ("set_access", OFF)]


def test_sma_sol_button_short_tap_toggles_smart_solar_with_side_effects():
    """Given Sma-Sol B in Smart with access ON, when tapped < 1.5 s, then Solar, then
    LESS_6A, the charge delay and the stop timers cleared by `clear_shortage` (3.6)."""
    sw, evse = setup(3, mode=SMART)
    evse.error_flags = LESS_6A | RCM_TRIPPED
    evse.charge_delay_s = 60
    press(sw, evse, 100)
    assert actions(evse) == []
    release(sw, evse)
    assert actions(evse) == [("set_mode", SOLAR)]
    assert evse.shortages_cleared == 1
    assert evse.error_flags == 0                 # LESS_6A by the tap, RCM by the press
    assert evse.charge_delay_s == 0
    press(sw, evse)
    release(sw, evse)
    assert actions(evse)[-1] == ("set_mode", SMART)


def test_sma_sol_button_tap_needs_access_on():
    """Given Sma-Sol B with access OFF, when tapped, then nothing changes (3.6)."""
    sw, evse = setup(3, mode=SMART, access=OFF)
    evse.error_flags = LESS_6A
    press(sw, evse)
    release(sw, evse)
    assert actions(evse) == [] and evse.error_flags == LESS_6A


def test_sma_sol_button_hold_1_5_s_stops_charging_and_release_does_not_toggle():
    """Given Sma-Sol B while charging, when held: 149 ticks nothing, 150 ticks C -> C1; the release is no tap (3.6)."""
    sw, evse = setup(3, mode=SOLAR, state=C)
    press(sw, evse, 11)                           # accepted on the 11th sample
    hold(sw, evse, True, 149)
    assert actions(evse) == []
    hold(sw, evse, True, 1)
    assert actions(evse) == [("stop_charging", 15)]
    release(sw, evse)
    assert actions(evse) == [("stop_charging", 15)]
    assert sw.press_ms == 1610                    # 150 ticks held + 11 release samples
    assert evse.settings.values["mode"] == SOLAR


def test_sma_sol_button_149_ticks_is_still_a_tap():
    """Given Sma-Sol B, when released 1.49 s after the accepted press, then a tap (3.6)."""
    sw, evse = setup(3, mode=SOLAR)
    press(sw, evse, 11)
    hold(sw, evse, True, 138)
    release(sw, evse, 11)                        # 138 + 11 = 149 ticks between accepts
    assert sw.press_ms == 1490
    assert actions(evse) == [("set_mode", SMART)]


def test_sma_sol_button_150_ticks_is_a_hold():
    """Given Sma-Sol B not charging, when released 1.5 s after the accepted press, then no toggle (3.6)."""
    sw, evse = setup(3, mode=SOLAR, state=B)
    press(sw, evse, 11)
    hold(sw, evse, True, 139)
    release(sw, evse, 11)
    assert sw.press_ms == 1500 and actions(evse) == []


def test_sma_sol_switch_follows_position():
    """Given Sma-Sol S with access ON, when closed in Solar, then Smart; when opened in Smart, then Solar (3.6)."""
    sw, evse = setup(4, mode=SOLAR)
    assert actions(evse) == []                    # boot: open in Solar changes nothing
    press(sw, evse)
    assert actions(evse) == [("set_mode", SMART)]
    release(sw, evse)
    assert actions(evse) == [("set_mode", SMART), ("set_mode", SOLAR)]


def test_sma_sol_switch_ignored_without_access_or_in_normal():
    """Given Sma-Sol S, when toggled with access OFF or in Normal, then no mode change (3.6)."""
    sw, evse = setup(4, mode=SOLAR, access=OFF)
    press(sw, evse)
    release(sw, evse)
    sw, evse2 = setup(4, mode=NORMAL)
    press(sw, evse2)
    release(sw, evse2)
    assert actions(evse) == [] and actions(evse2) == []


def test_grid_relay_follows_position():
    """Given Grid Relay, when closed, then the relay limit is off; when opened, then on (3.6, 4.8)."""
    sw, evse = setup(5, closed=True)
    assert evse.grid_relay_open is False
    release(sw, evse)
    assert evse.grid_relay_open is True
    press(sw, evse)
    assert evse.grid_relay_open is False


def test_custom_button_toggles_flag_on_press():
    """Given Custom B, when pressed twice, then the flag toggles on, then off; releases change nothing (3.6)."""
    sw, evse = setup(6)
    press(sw, evse)
    assert evse.custom_button is True and sw.button_state is True
    release(sw, evse)
    assert evse.custom_button is True
    press(sw, evse)
    assert evse.custom_button is False and sw.button_state is False


def test_custom_switch_follows_position():
    """Given Custom S, when closed then opened, then the flag on then off (3.6)."""
    sw, evse = setup(7)
    assert evse.custom_button is False
    press(sw, evse)
    assert evse.custom_button is True and sw.button_state is True
    release(sw, evse)
    assert evse.custom_button is False and sw.button_state is False


def test_every_press_clears_rcm_when_allowed():
    """Given RCM_TRIPPED, when pressed with the RCM input high, then kept; low, then cleared (3.4, 3.6)."""
    for function in range(8):
        sw, evse = setup(function)
        evse.error_flags = RCM_TRIPPED
        if function in (2, 4, 5, 7):
            evse.calls.clear()
        hold(sw, evse, True, 20, rcm_high=True)
        assert ("clear_rcm", True) in evse.calls and evse.error_flags == RCM_TRIPPED
        release(sw, evse)
        hold(sw, evse, True, 20, rcm_high=False)
        assert evse.error_flags == 0


# --- SWITCH changes (settings-and-menu.md 1.3) ---

def test_leaving_grid_relay_clears_the_limit_and_rereads():
    """Given Grid Relay open, when SWITCH becomes Access S, then the limit clears and the position is applied (1.3)."""
    sw, evse = setup(5, closed=False)
    assert evse.grid_relay_open is True
    evse.settings.values["switch"] = 2
    sw.reconfigure()
    hold(sw, evse, False, 1)
    assert evse.grid_relay_open is False
    hold(sw, evse, False, 20)
    assert actions(evse) == [("set_access", OFF)]


def test_setting_change_is_noticed_without_reconfigure():
    """Given Access S, when SWITCH becomes Custom S and the input is closed, then the flag follows (1.3)."""
    sw, evse = setup(2, closed=True)
    evse.settings.values["switch"] = 7
    hold(sw, evse, True, 20)
    assert evse.custom_button is True


def test_change_to_a_button_type_does_not_act():
    """Given Access S closed, when SWITCH becomes Access B with the input open, then no toggle (1.3, 3.6)."""
    sw, evse = setup(2, closed=False)
    evse.calls.clear()
    evse.settings.values["switch"] = 1
    sw.reconfigure()
    hold(sw, evse, False, 50)
    assert evse.calls == []
