"""The fail-safe cannot fail (issue 6 item 3; docs/architecture.md "The cooperative loop"):
outputs are made safe first, each write on its own, and a report that fails is counted,
never raised out of the loop."""
from tests.helpers import charging_simulation
from smartevse.loop import Loop


class _Broken:
    """A board output whose every write raises (a bus or pin driver gone)."""

    def __set_value(self, value):
        raise OSError(5, "EIO")

    value = property(lambda self: True, __set_value)

    def set_duty(self, duty_1024):
        raise RuntimeError("pwm")



def _raise(now_ms):
    raise ValueError("service broke")


def test_a_raising_contactor_does_not_stop_the_other_outputs_going_safe():
    """Given charging, when a service raises and contactor 1's write raises too, then
    contactor 2 opens, the pilot goes to +12 V, the failed write is counted and the loop
    goes on."""
    s = charging_simulation()
    board = s.app.board
    contactor2, pilot = board.contactor2, board.pilot
    board.contactor1 = _Broken()
    s.app._on_fault(_raise, ValueError("service broke"))
    assert contactor2.value is False
    assert pilot.duty_1024 == 1024
    assert s.app.safe_write_errors == 1
    assert s.app.fault_text == "_raise: service broke"


def test_a_raising_pilot_does_not_stop_the_contactors_opening():
    """Given charging, when the fault handler's pilot write raises, then both contactors
    are open anyway and the failure is counted."""
    s = charging_simulation()
    board = s.app.board
    board.pilot.set_duty = _Broken().set_duty
    s.app._on_fault(_raise, ValueError("service broke"))
    assert board.contactor1.value is False and board.contactor2.value is False
    assert s.app.safe_write_errors == 1


def test_a_report_that_raises_is_counted_after_the_outputs_are_safe():
    """Given charging, when a service raises and the fault report (screen model) raises
    too, then the contactors are open, the report failure is counted and nothing escapes
    the loop."""
    s = charging_simulation()

    def broken_report(text):
        raise RuntimeError("pystack exhausted")

    s.app.view.show_fault = broken_report
    s.app.loop.add(10, _raise)
    s.advance(0.05)
    o = s.observe()
    assert not o["contactor1"] and not o["contactor2"] and o["pwm_duty"] == 1024
    assert s.app.fault_report_errors >= 1
    assert s.app.loop.faults >= 1


def test_the_loop_goes_on_when_the_fault_handler_itself_raises():
    """Given a loop whose fault handler raises, when a service raises, then the handler
    failure is counted and the next services still run."""
    clock = [0]
    ran = []

    def handler(service, exc):
        raise RuntimeError("handler broke")

    loop = Loop(lambda: clock[0], handler, collect=lambda: None)
    loop.add(10, _raise)
    loop.add(10, ran.append)
    for _ in range(3):
        clock[0] += 10
        loop.run_once()
    assert loop.faults == 3 and loop.fault_handler_errors == 3
    assert len(ran) == 3
