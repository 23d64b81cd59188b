"""The host OLED: one blinka display per process, many simulations (simulator.md)."""
import threading
import time

from sim.display import HostDisplay
from sim.view import HostView
from ui.status_view import StatusView


class _App:
    """The few app attributes the screens read."""

    class _Evse:
        state = 1
        error_flags = 0
        access = 1
        charge_delay_s = 0
        phases = 3
        node_balanced_da = [130, 0, 0, 0, 0, 0, 0, 0]
        mains_irms_da = [20, 30, 40]
        ev_irms_da = [0, 0, 0]
        phase_request = 0
        grid_relay_open = False
        solar_stop_timer_s = 0
        max_sum_mains_timer_s = 0

    def __init__(self):
        self.evse = self._Evse()
        self.settings = type("S", (), {"values": {"mode": 0, "current_main": 25,
                                                  "mains_meter_type": 1, "ev_meter_type": 0,
                                                  "rfid_reader": 0, "starttime": 0}})()
        self.lock = type("L", (), {"error": False})()
        self.rfid_status_text = "Not Installed"
        self.backlight_s = 120
        self.dark_s = 0


def test_new_display_replaces_the_previous_one(monkeypatch):
    """Given a HostDisplay, when 50 more are created, then the newest is current, the
    first is released, and none waited for the panel (the real init sleeps 10 ms per
    command, 130 ms per display)."""
    slept = []

    def sleep(seconds):
        if threading.current_thread() is threading.main_thread():
            slept.append(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    first = HostDisplay()
    assert first.is_current and first.panel.on
    for _ in range(50):
        latest = HostDisplay()
    assert latest.is_current and not first.is_current
    assert slept == []


def test_host_view_text_needs_no_display():
    """Given a HostView, when the app updates it, then text lines come from the screen
    model and no display is created until a picture is asked for."""
    view = HostView()
    view.update(_App(), 1)
    assert view.oled is None
    assert view.text_lines()[2:4] == ["EV SET 13.0A", "MAIN 25A->9.0A"]
    image = view.to_image()
    assert view.oled is not None and image.size == (128, 64)
    assert view.oled.text_lines() == view.text_lines()


def test_two_views_take_turns_with_the_single_display(tmp_path):
    """Given two simulations' views, when each asks for a picture in turn, then each gets
    its own screen drawn (the display is rebuilt for whichever asks)."""
    one, two = HostView(), HostView()
    app = _App()
    one.update(app, 1)
    two.show_fault("OSError: 5")
    for _ in range(2):
        image_one = one.to_image()
        image_two = two.to_image()
        assert image_one.getpixel((0, 10)) == 255       # status line at y = 10
        assert image_two.getpixel((0, 10)) == 0         # fault screen has no line there
    one.save_png(str(tmp_path / "one.png"), scale=2)
    assert (tmp_path / "one.png").exists()


def test_status_view_reads_the_app():
    """Given an app, then StatusView.read takes Balanced[0], the mains currents and the
    settings the screens need."""
    view = StatusView()
    view.read(_App())
    assert (view.offered_da, view.mains_limit_a, list(view.mains_da)) == (130, 25, [20, 30, 40])
    assert view.ev_da is None and view.session_wh is None and not view.lock_error
