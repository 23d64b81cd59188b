"""Status LED colours and animations (settings-and-menu.md 5, D8; charging.md 12 D12)."""
from smartevse.core.led import StatusLed, ease, tri
from tests.helpers import make_settings

A, B, C, D, B1, C1 = 0, 1, 2, 3, 9, 10
OFF, ON, PAUSE = 0, 1, 2
NORMAL, SMART, SOLAR = 0, 1, 2
LESS_6A, CT_NOCOMM, TEMP_HIGH, EV_NOCOMM, RCM_TRIPPED = 0x01, 0x02, 0x04, 0x08, 0x10


def make_led(**values):
    return StatusLed(make_settings(**values))


def run(led, steps, state=A, errors=0, access=ON, mode=NORMAL, delay_s=0, custom=False,
        lock_error=False, elapsed_ms=10):
    """Step the LED `steps` times; returns the list of (r, g, b) after each step."""
    out = []
    for _ in range(steps):
        led.step(elapsed_ms, state, errors, access, mode, delay_s, custom, lock_error)
        out.append((led.r, led.g, led.b))
    return out


def rising_edges(levels):
    return sum(1 for i in range(1, len(levels)) if levels[i] and not levels[i - 1])


# --- arithmetic (5.4) ---

def test_tri_and_ease_are_the_8bit_functions_of_5_4():
    """Given the 8-bit helpers, when evaluated at the edges, then the exact values of 5.4."""
    assert [tri(c) for c in (0, 1, 127, 128, 200, 255)] == [0, 2, 254, 254, 110, 0]
    assert [ease(i) for i in (0, 16, 127, 128, 254, 255)] == [0, 2, 126, 129, 255, 255]


# --- Standard scheme (5.2) ---

def test_state_a_is_mode_colour_at_brightness_40():
    """Given Normal mode, when in A, then green at 40: (0, 40, 0) (5.2, 5.4)."""
    led = make_led()
    assert led.step(20, A, 0, ON, NORMAL, 0, False) is True
    assert (led.r, led.g, led.b) == (0, 40, 0)


def test_state_a_in_solar_scales_the_solar_colour():
    """Given Solar mode (255, 170, 0), when in A, then 40 x colour / 255 = (40, 26, 0) (5.1)."""
    assert run(make_led(), 1, state=A, mode=SOLAR) == [(40, 26, 0)]


def test_states_b_and_b1_are_mode_colour_full_and_steady():
    """Given Normal and Smart colours, when in B or B1, then the colour at 255, steady (5.2)."""
    led = make_led(color_smart=0x123456)
    assert set(run(led, 50, state=B)) == {(0, 255, 0)}
    assert set(run(led, 50, state=B1, mode=SMART)) == {(0x12, 0x34, 0x56)}


def test_custom_flag_overrides_the_mode_colour():
    """Given the custom flag on, when in B in Solar, then the custom colour (0, 0, 255) (5.1)."""
    assert run(make_led(), 1, state=B, mode=SOLAR, custom=True) == [(0, 0, 255)]


def test_access_off_shows_the_off_colour_steady():
    """Given access OFF, when in any state, then the `off` colour at full values (5.2)."""
    assert run(make_led(), 1, state=A, access=OFF) == [(0, 0, 0)]
    led = make_led(color_off=0x102030)
    assert set(run(led, 30, state=B, access=OFF, delay_s=5)) == {(0x10, 0x20, 0x30)}


def test_access_off_with_custom_flag_shows_custom_colour():
    """Given access OFF and the custom flag, when in A, then the custom colour, full values (5.2)."""
    led = make_led(color_custom=0x112233)
    assert set(run(led, 10, state=A, access=OFF, custom=True)) == {(0x11, 0x22, 0x33)}


def test_access_pause_is_not_off():
    """Given access PAUSE, when in B1, then the state pattern, not the off colour (5.2)."""
    assert run(make_led(), 1, state=B1, access=PAUSE) == [(0, 255, 0)]


def test_error_flash_is_red_period_128ms_at_about_50_percent():
    """Given CT_NOCOMM, when stepped every 10 ms, then red 255/0 with c += 20: 5 flashes per 640 ms, 31 of 64 ticks on (5.4)."""
    for flag in (CT_NOCOMM, TEMP_HIGH, EV_NOCOMM, RCM_TRIPPED):
        out = run(make_led(), 64, state=C, errors=flag | LESS_6A, access=OFF)
        assert set(out) == {(255, 0, 0), (0, 0, 0)}
        levels = [rgb[0] == 255 for rgb in out]
        assert sum(levels) == 31                   # c = 20k mod 256 > 128
        assert rising_edges([False] + levels) == 5  # 640 ms / 5 = 128 ms period


def test_lock_error_shows_the_error_flash():
    """Given Lock error (no error bit), when in B, then the red fast flash (charging.md 12 D12)."""
    out = run(make_led(), 64, state=B, lock_error=True)
    assert set(out) == {(255, 0, 0), (0, 0, 0)}
    assert sum(rgb[0] == 255 for rgb in out) == 31


def test_waiting_blink_is_120ms_every_1280ms():
    """Given LESS_6A, when in B1, then the mode colour at 255 for 120 ms of every 1280 ms, else off (5.2, 5.4)."""
    led = make_led()
    out = run(led, 256, state=B1, errors=LESS_6A)
    assert set(out) == {(0, 255, 0), (0, 0, 0)}
    on = [i for i, rgb in enumerate(out) if rgb == (0, 255, 0)]
    assert len(on) == 24                            # 12 ticks per 128-tick period
    assert on[:12] == list(range(115, 127)) and on[12:] == list(range(243, 255))


def test_charge_delay_blinks_like_an_error():
    """Given ChargeDelay running, when in B1, then the short blink in the mode colour (5.2)."""
    out = run(make_led(), 128, state=B1, delay_s=3, mode=SOLAR)
    assert sum(rgb == (255, 170, 0) for rgb in out) == 12
    assert set(out) == {(255, 170, 0), (0, 0, 0)}


def test_breathing_period_1_28_s_starting_at_full_brightness():
    """Given B then C, when stepped every 10 ms, then ease(tri(c)) from c = 128 + 2: 255 first, 0 at 640 ms, period 128 ticks (5.2)."""
    led = make_led()
    run(led, 5, state=B)
    out = [rgb[1] for rgb in run(led, 256, state=C)]
    assert out[0] == 255
    assert out[63] == 0 and out[59:67] == [0] * 8  # c = 128 + 2 x 64 = 0 (mod 256)
    assert max(out[:64]) == 255 and out[:64] == sorted(out[:64], reverse=True)
    assert out[128:] == out[:128]
    assert out[64:128] != out[:64]


def test_breathing_in_solar_has_period_2_56_s():
    """Given Solar mode, when in C, then c advances 1 per 10 ms: minimum at 1.28 s, period 256 ticks (5.2)."""
    led = make_led(color_solar=0xFF0000)
    out = [rgb[0] for rgb in run(led, 512, state=C, mode=SOLAR)]
    assert out[0] == 255 and out[127] == 0 and out[:128] == sorted(out[:128], reverse=True)
    assert out[256:] == out[:256]


def test_breathing_restarts_at_128_when_entering_c_from_elsewhere():
    """Given a running blink, when C is entered, then the fade begins at full brightness (5.2)."""
    led = make_led()
    run(led, 37, state=B1, errors=LESS_6A)
    assert run(led, 1, state=C)[0] == (0, 255, 0)


def test_20ms_service_keeps_the_10ms_periods():
    """Given a 20 ms service, when the LED steps, then it shows every second frame of the 10 ms service (D8)."""
    for kwargs in ({"state": C}, {"state": C, "mode": SOLAR}, {"state": B1, "errors": LESS_6A},
                   {"state": B, "errors": TEMP_HIGH}):
        fine = run(make_led(), 512, **kwargs)
        coarse = run(make_led(), 256, elapsed_ms=20, **kwargs)
        assert coarse == fine[1::2]


def test_uneven_elapsed_time_keeps_the_remainder():
    """Given 15 ms steps, when stepped 2 x, then the counter advanced 3 x 10 ms (5.4)."""
    fine = run(make_led(), 3, state=C)
    uneven = run(make_led(), 2, state=C, elapsed_ms=15)
    assert uneven[1] == fine[2]


def test_states_without_a_rule_keep_the_last_brightness():
    """Given B (255), when C1 without a delay or D follows, then the mode colour stays at 255 (fork)."""
    led = make_led()
    run(led, 3, state=B)
    assert set(run(led, 20, state=C1) + run(led, 20, state=D)) == {(0, 255, 0)}


def test_step_reports_changes_only():
    """Given a steady colour, when stepped again, then False; when the state changes, then True."""
    led = make_led()
    assert led.step(20, A, 0, ON, NORMAL, 0, False) is True
    assert led.step(20, A, 0, ON, NORMAL, 0, False) is False
    assert led.step(20, B, 0, ON, NORMAL, 0, False) is True


# --- OCPP overrides in the Standard scheme (5.2) ---

def _ocpp_led(**values):
    values.setdefault("ocpp_mode", 1)
    return make_led(**values)


def test_ocpp_card_read_shows_grey_for_200ms():
    """Given OCPP with RFID Disabled, when a card is read, then grey for 200 ms, then the state colour (5.2)."""
    led = _ocpp_led()
    led.ocpp_notify("card")
    out = run(led, 12, state=A, elapsed_ms=20)
    assert out[:9] == [(128, 128, 128)] * 9 and out[9:] == [(0, 40, 0)] * 3


def test_ocpp_notifications_windows():
    """Given OCPP, when authorised / rejected / timed out, then green 1000 ms / red 2000 ms / red 300 ms (5.2)."""
    for kind, colour, window_ms in (("authorized", (0, 255, 0), 1000),
                                    ("rejected", (255, 0, 0), 2000),
                                    ("timeout", (255, 0, 0), 300)):
        led = _ocpp_led(rfid_reader=6)
        led.ocpp_notify(kind)
        out = run(led, window_ms // 10 + 5, state=A)
        assert out[:window_ms // 10 - 1] == [colour] * (window_ms // 10 - 1)
        assert out[-1] == (0, 40, 0)


def test_ocpp_status_colours_and_priority_over_error_flash():
    """Given OCPP Reserved / Faulted, when an error flag is set too, then the OCPP colour wins (5.2, fork order)."""
    led = _ocpp_led()
    led.ocpp_status = "reserved"
    assert set(run(led, 20, state=A, errors=TEMP_HIGH)) == {(196, 64, 0)}
    led.ocpp_status = "faulted"
    assert set(run(led, 20, state=A)) == {(255, 0, 0)}
    led.ocpp_status = "unavailable"
    assert set(run(led, 20, state=A)) == {(255, 0, 0)}
    led.ocpp_status = "none"
    assert run(led, 1, state=A) == [(0, 40, 0)]


def test_ocpp_overrides_ignored_when_ocpp_off_or_rfid_local():
    """Given OCPP off, or RFID EnableAll, when OCPP inputs are set, then the Standard pattern (5.2)."""
    for values in ({"ocpp_mode": 0}, {"ocpp_mode": 1, "rfid_reader": 1}):
        led = make_led(**values)
        led.ocpp_status = "reserved"
        led.ocpp_notify("card")
        assert run(led, 1, state=A) == [(0, 40, 0)]


# --- Public scheme (5.3) ---

def test_public_scheme_state_colours():
    """Given LED MODE Public, when A / B / B1, then (0, 40, 0) / blue / blue regardless of mode and custom flag (5.3)."""
    led = make_led(ledmode=1)
    assert run(led, 1, state=A, mode=SOLAR, custom=True) == [(0, 40, 0)]
    assert set(run(led, 10, state=B, mode=SMART)) == {(0, 0, 255)}
    assert set(run(led, 10, state=B1, custom=True)) == {(0, 0, 255)}


def test_public_scheme_breathes_blue_at_1_28_s_even_in_solar():
    """Given Public, when in C in Solar mode, then blue breathing with period 128 ticks (5.3)."""
    led = make_led(ledmode=1)
    run(led, 2, state=B)
    out = run(led, 256, state=C, mode=SOLAR)
    assert all(r == 0 and g == 0 for r, g, _ in out)
    blue = [rgb[2] for rgb in out]
    assert blue[0] == 255 and blue[63] == 0 and blue[128:] == blue[:128]


def test_public_scheme_orange_blink_for_errors_delay_and_lock_error():
    """Given Public, when any error flag, a charge delay or Lock error, then (255, 127, 0) for 120 ms of 1280 ms (5.3)."""
    for kwargs in ({"errors": LESS_6A}, {"errors": RCM_TRIPPED}, {"delay_s": 10},
                   {"lock_error": True}):
        out = run(make_led(ledmode=1), 128, state=B1, **kwargs)
        assert set(out) == {(255, 127, 0), (0, 0, 0)}
        assert out.count((255, 127, 0)) == 12


def test_public_scheme_ocpp_colours():
    """Given Public, when Reserved or a card is read, then orange (255, 128, 0) / grey (5.3)."""
    led = make_led(ledmode=1)
    led.ocpp_status = "reserved"
    assert run(led, 1, state=A) == [(255, 128, 0)]
    led.ocpp_notify("card")
    assert run(led, 1, state=A) == [(128, 128, 128)]


def test_public_scheme_dark_in_states_without_a_rule():
    """Given Public, when in C1 without delay or D, then dark (5.3, as the fork)."""
    assert run(make_led(ledmode=1), 1, state=D) == [(0, 0, 0)]
