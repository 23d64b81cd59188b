"""The capacity tariff (CAP PEAK) in the closed loop: the offer follows the 15-minute
window's headroom (charging.md 4.8, 12 D7, 4.6 3d and 4); REST shows the tariff's state
(interfaces.md: capacity_window_avg, capacity_monthly_peak, capacity_headroom)."""

from sim import Simulation

SENSORBOX = 1
CAP_W = 6900                    # 30 A summed at 230 V: 10 A per phase at the window start


def _settings(s):
    status, body = s.rest("GET", "/settings")
    assert status == 200
    return body["settings"]


def test_the_offer_follows_the_window_headroom_down_and_a_new_window_gives_it_back():
    """Given Smart, MAINS 25 A, MAX 16 A, CAP PEAK 6.9 kW and a house load of 2 A per phase,
    when the EV charges on three phases, then the offer starts at the window's full
    headroom per phase (6900 W = 300 dA summed, 10.0 A per phase), comes down as the
    window's budget is used, and the next window (after 900 s) gives the 10 A back; the
    completed window's average and the month's peak appear in GET /settings (4.8, D7) and
    the peak survives a power cut (settings-and-menu.md 6.2: written with the next save)."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 16, "MAINS": 25,
                             "mode": "Smart", "CAP PEAK": CAP_W})
    s.plant.cable(rating_a=32)
    s.plant.mains.load_da(20, 20, 20)
    s.plant.ev.pilot("C")
    s.advance(60)
    first = s.observe()["advertised_da"]
    assert 95 <= first <= 100
    assert _settings(s)["capacity_headroom"] <= CAP_W
    s.advance(12 * 60)
    late = s.observe()["advertised_da"]
    assert 60 <= late < first - 20
    s.advance(4 * 60)
    again = s.observe()["advertised_da"]
    assert again > late + 20
    block = _settings(s)
    assert block["capacity_window_avg"] > 0
    assert block["capacity_monthly_peak"] == block["capacity_window_avg"]
    s.configure({"MAX": 15})            # an ordinary change: the next save carries the peak
    s.advance(61)
    s.power_cut()
    s.power_on()
    s.advance(2)
    assert _settings(s)["capacity_monthly_peak"] == block["capacity_monthly_peak"]


def test_without_cap_peak_the_offer_is_the_mains_headroom_and_the_tariff_is_not_loaded():
    """Given Smart, MAINS 25 A, MAX 16 A, CAP PEAK 0 (off, the default), when the EV
    charges with 2 A of house load per phase, then the offer is MAX 16 A and no capacity
    part exists (GET /settings shows 0 headroom, the tariff module is not loaded: 4.8)."""
    s = Simulation(settings={"mains_meter_type": SENSORBOX, "MAX": 16, "MAINS": 25,
                             "mode": "Smart"})
    s.plant.cable(rating_a=32)
    s.plant.mains.load_da(20, 20, 20)
    s.plant.ev.pilot("C")
    s.advance(60)
    assert s.observe()["advertised_da"] == 160
    assert s.app.capacity is None and _settings(s)["capacity_headroom"] == 0
