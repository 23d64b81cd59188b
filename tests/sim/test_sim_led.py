"""The status LED as a person sees it, per state (settings-and-menu.md 5.2)."""

from sim import Simulation


def led_samples(s, seconds, step=0.01):
    seen = []
    for _ in range(int(seconds / step)):
        s.advance(step)
        seen.append(s.observe()["led"])
    return seen


def test_state_a_is_the_mode_colour_at_brightness_40():
    """Given Normal mode in A, then the LED is steady green at 40: (0, 40, 0)."""
    s = Simulation()
    s.advance(1.0)
    assert set(led_samples(s, 1.0)) == {(0, 40, 0)}


def test_state_b_is_the_mode_colour_at_full_brightness():
    """Given an EV connected (B), then steady (0, 255, 0)."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    s.advance(1.0)
    assert set(led_samples(s, 1.0)) == {(0, 255, 0)}


def test_state_c_breathes_with_a_1_28_s_period():
    """Given charging in Normal mode, then the green channel breathes between dark and
    full with a 1.28 s period."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(2.0)
    greens = [g for _, g, _ in led_samples(s, 2.56, step=0.02)]
    assert max(greens) >= 240 and min(greens) <= 10
    peaks = [i for i in range(1, len(greens) - 1) if greens[i] >= greens[i - 1] and greens[i] > greens[i + 1]]
    assert len(peaks) == 2 and abs((peaks[1] - peaks[0]) * 0.02 - 1.28) <= 0.04


def test_access_off_is_dark():
    """Given access OFF, then the LED shows the 'off' colour (0, 0, 0)."""
    s = Simulation(settings={"access": "off"})
    s.advance(1.0)
    assert set(led_samples(s, 0.5)) == {(0, 0, 0)}


def test_an_error_flashes_red_fast():
    """Given TEMP_HIGH, then the LED flashes red at 50 % with a 128 ms period."""
    s = Simulation()
    s.plant.temperature(80)
    s.advance(2.0)
    seen = led_samples(s, 1.28)
    assert set(seen) == {(255, 0, 0), (0, 0, 0)}
    on = sum(1 for c in seen if c == (255, 0, 0))
    assert 0.4 <= on / len(seen) <= 0.6


def test_a_charge_delay_blinks_the_mode_colour():
    """Given a charge delay running (switch stop), then the mode colour blinks briefly:
    about 120 ms on in every 1280 ms."""
    s = Simulation()
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(2.0)
    s.plant.switch(True)
    s.advance(0.3)
    s.plant.switch(False)
    s.advance(1.0)
    seen = led_samples(s, 2.56)
    on = sum(1 for c in seen if c == (0, 255, 0))
    assert set(seen) == {(0, 255, 0), (0, 0, 0)}
    assert 0.06 <= on / len(seen) <= 0.13
