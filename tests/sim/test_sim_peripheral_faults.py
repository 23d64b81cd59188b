"""Peripherals fail without stopping the charge (issue 6 item 4; docs/architecture.md "Errors"):
a display, NVM or LED error is counted, shown in observe() and retried with back-off;
only the safety rules of charging.md open the contactors."""
import pytest

from tests.helpers import charging_simulation
from sim import Simulation


@pytest.mark.parametrize("part,error,text", [
    ("display", RuntimeError("I2C bus error"), "RuntimeError: I2C bus error"),
    ("led", OSError(5, "EIO"), "OSError: [Errno 5] EIO"),
    ("rs485", OSError(5, "EIO"), "OSError: [Errno 5] EIO"),
])
def test_a_raising_display_led_or_rs485_uart_keeps_charging(part, error, text):
    """Given charging, when the part raises for 63 s, then the state stays Charging with the
    contactors closed, no fault is reported, and the part's count rises by 1 s doubling
    back-off (1+2+4+8+16+32 s: 7 tries) with the error text visible."""
    s = charging_simulation()
    s.fail_part(part, error)
    s.advance(63.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor1"] and o["contactor2"]
    assert o["fault"] is None
    assert 6 <= o["peripheral_errors"][part] <= 8
    assert o["peripheral_last_error"][part] == text
    s.fail_part(part)
    s.advance(61.0)
    assert s.observe()["peripheral_errors"][part] <= 9          # mended: no new errors


def test_a_raising_rs485_uart_in_smart_mode_is_a_silent_meter():
    """Given Smart mode charging on the Sensorbox, when the RS485 UART raises, then the loop
    goes on with no fault, the error is the bus's own, and after 11 s without a reading
    CT_NOCOMM stops charging as for a silent meter; mended, the flag clears (charging.md
    3.5, 2.7)."""
    s = charging_simulation(settings={"mode": "Smart"})
    s.fail_part("rs485", OSError(5, "EIO"))
    s.advance(14.0)
    o = s.observe()
    assert o["fault"] is None and o["peripheral_errors"]["rs485"] >= 3
    assert "CT_NOCOMM" in o["errors"] and not o["contactor1"]
    s.fail_part("rs485")
    s.advance(70.0)
    assert "CT_NOCOMM" not in s.observe()["errors"]


def test_an_nvm_that_raises_on_write_keeps_charging_and_retries():
    """Given charging, when a setting changes while the NVM raises on write, then charging
    goes on, the charge delay stays 0, the write is retried with back-off, and once the NVM
    works again the setting reaches it (settings-and-menu.md 6.2)."""
    s = charging_simulation()
    s.fail_part("nvm", OSError(5, "EIO"))
    s.configure({"MAX": 10})
    s.advance(20.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["contactor1"] and o["charge_delay_s"] == 0
    assert o["peripheral_errors"]["nvm"] >= 3
    assert o["peripheral_last_error"]["nvm"] == "OSError: [Errno 5] EIO"
    s.fail_part("nvm")
    s.advance(65.0)
    s.power_cut()
    s.power_on()
    assert s.app.settings.values["current_max"] == 10


def test_an_nvm_write_error_at_boot_does_not_delaycharging_simulation():
    """Given an NVM that raises on every write from power-on, when an EV asks to charge,
    then it charges within 3 s: the failed write re-arms nothing (issue 6)."""
    s = Simulation()
    s.fail_part("nvm", OSError(5, "EIO"))
    s.power_cut()
    s.power_on()
    s.configure({"MAX": 12})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(3.0)
    o = s.observe()
    assert o["state"] == "Charging" and o["peripheral_errors"]["nvm"] >= 1


def test_a_console_that_raises_keeps_charging_and_keeps_the_log(monkeypatch):
    """Given charging with the console echo on, when printing raises OSError, then
    charging goes on, the log ring keeps the lines, and the console's count and error
    are in observe()."""
    from smartevse import log

    def broken_console(line):
        raise OSError(5, "EIO")

    s = charging_simulation()
    monkeypatch.setattr(log, "echo", True)
    monkeypatch.setattr(log, "write", broken_console)
    written = log.written()
    s.plant.ev.pilot("B")
    s.advance(2.0)
    o = s.observe()
    assert o["state"] == "Connected to EV"
    assert log.written() > written and log.recent()[-1].startswith("INFO: state")
    assert o["peripheral_errors"]["log"] >= 1
    assert o["peripheral_last_error"]["log"] == "OSError: [Errno 5] EIO"
