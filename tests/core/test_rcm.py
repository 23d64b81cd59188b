"""The RCM double read (charging.md 3.4; issue 6 item 8): a trip is a high fault input
confirmed by a second high read 1 ms later."""

import pytest

from smartevse.core.rcm import CONFIRM_US, rcm_confirmed


class FakeInput:
    """Reads return the given levels in turn; waits are recorded in microseconds."""

    def __init__(self, *levels):
        self._levels = list(levels)
        self.reads = 0
        self.waits_us = []

    def read(self):
        self.reads += 1
        return self._levels.pop(0)

    def delay_us(self, us):
        self.waits_us.append(us)


def test_high_twice_1_ms_apart_is_a_trip():
    """Given the fault input high, when it is still high 1 ms later, then a trip (3.4)."""
    rcm = FakeInput(True, True)
    assert rcm_confirmed(rcm.read, rcm.delay_us) is True
    assert rcm.waits_us == [1000] == [CONFIRM_US]


def test_a_spike_gone_after_1_ms_is_not_a_trip():
    """Given the fault input high once, when it reads low 1 ms later, then no trip (3.4)."""
    rcm = FakeInput(True, False)
    assert rcm_confirmed(rcm.read, rcm.delay_us) is False
    assert rcm.reads == 2


def test_a_low_input_costs_one_read_and_no_wait():
    """Given the fault input low, then no trip, one read and no 1 ms wait in the 10 ms path."""
    rcm = FakeInput(False)
    assert rcm_confirmed(rcm.read, rcm.delay_us) is False
    assert (rcm.reads, rcm.waits_us) == (1, [])


@pytest.mark.parametrize("level", [0, 1])
def test_pin_levels_as_ints_give_a_boolean(level):
    """Given a pin that reads 1/0 (ints), then the answer is a bool like the spec's flag."""
    rcm = FakeInput(level, level)
    assert rcm_confirmed(rcm.read, rcm.delay_us) is bool(level)
