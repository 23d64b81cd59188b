"""Cable lock decisions and actuation (charging.md 8, 12 D4/D12)."""
from smartevse.core.cablelock import CableLock
from tests.helpers import make_settings

A, B, C, B1, C1 = 0, 1, 2, 9, 10
OFF, ON = 0, 1
SOLENOID, MOTOR = 1, 2
# Feedback levels per actuator type (charging.md 8).
LOCKED = {SOLENOID: 0, MOTOR: 1}
UNLOCKED = {SOLENOID: 1, MOTOR: 0}


def make_lock(**values):
    return CableLock(make_settings(**values))


class Actuator:
    """A simulated actuator: moves when driven for 3 steps, unless jammed."""

    def __init__(self, kind, locked=False):
        self.kind = kind
        self.locked = locked
        self.jammed = False
        self._driven = 0
        self.pulses = []          # (step index, direction) of every pulse start
        self._last = 0

    def feedback(self):
        return LOCKED[self.kind] if self.locked else UNLOCKED[self.kind]

    def apply(self, index, drive):
        if drive != 0 and self._last != drive:
            self.pulses.append((index, drive))
        self._last = drive
        if drive == 0 or self.jammed:
            self._driven = 0
            return
        self._driven += 1
        if self._driven >= 3:
            self.locked = drive == 1


def run(lock, actuator, state, steps, access=ON, start=0):
    """Run `steps` 100 ms steps; returns the list of drives."""
    drives = []
    for i in range(steps):
        drive = lock.step_100ms(state, access, actuator.feedback())
        actuator.apply(start + i, drive)
        drives.append(drive)
    return drives


def test_no_actuator_passes_interlock_and_drives_nothing():
    """Given LOCK Disabled, or a Fixed cable, when any state runs, then drive 0, locked True (8)."""
    for values in ({"lock": 0}, {"lock": SOLENOID, "config": 1}):
        lock = make_lock(**values)
        for state in (A, B, C):
            assert lock.step_100ms(state, ON, 1) == 0
            assert lock.locked and lock.unlocked and not lock.error and not lock.active


def test_boot_in_a_gives_one_unlock_pulse():
    """Given power-on in A, when the steps run, then one 600 ms unlock pulse, then rest (8, as the fork)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    drives = run(lock, act, A, 60)
    assert drives[:7] == [-1] * 6 + [0] and set(drives[7:]) == {0}
    assert act.pulses == [(0, -1)] and lock.unlocked


def test_locks_on_leaving_a_with_600ms_pulse():
    """Given a Solenoid, when the state leaves A, then drive lock for 6 steps (600 ms), then off (8)."""
    lock = make_lock(lock=SOLENOID)
    run(lock, Actuator(SOLENOID), A, 20)
    drives = [lock.step_100ms(B, ON, UNLOCKED[SOLENOID]) for _ in range(8)]
    assert drives == [1, 1, 1, 1, 1, 1, 0, 0]
    assert not lock.locked


def test_locked_feedback_confirms_and_rechecks_every_200ms_without_new_pulse():
    """Given a lock that reaches position, when the steps go on, then no further pulse and locked (8)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    run(lock, act, B, 200)
    assert act.pulses == [(0, 1)]
    assert lock.locked and not lock.unlocked and not lock.error
    assert lock._lock_step in (7, 8)


def test_unlocks_only_in_state_a():
    """Given a locked cable, when B, C, C1, B1 run, then no unlock; when A, then an unlock pulse (8)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    for state in (B, C, C1, B1):
        assert -1 not in run(lock, act, state, 30)
    assert act.locked
    drives = run(lock, act, A, 20)
    assert drives[:6] == [-1] * 6 and drives[6] == 0
    assert not act.locked and lock.unlocked and not lock.locked


def test_motor_feedback_polarity():
    """Given a Motor lock (feedback 1 = locked), when it locks and then unplugs, then feedback is read inverted (8)."""
    lock = make_lock(lock=MOTOR)
    act = Actuator(MOTOR)
    run(lock, act, B, 20)
    assert act.pulses == [(0, 1)] and lock.locked and act.feedback() == 1
    run(lock, act, A, 20, start=20)
    assert act.pulses == [(0, 1), (20, -1)] and lock.unlocked and act.feedback() == 0


def test_solenoid_feedback_level_one_means_unlocked():
    """Given a Solenoid, when the feedback reads 1 or 0, then unlocked or locked (8)."""
    lock = make_lock(lock=SOLENOID)
    lock.step_100ms(B, ON, 1)
    assert not lock.locked and lock.unlocked
    lock.step_100ms(B, ON, 0)
    assert lock.locked and not lock.unlocked


def test_permanent_lock_suppresses_unlock():
    """Given CableLock = 1, when the EV is unplugged (A), then the cable stays locked (8, settings 1.5)."""
    lock = make_lock(lock=SOLENOID, cablelock=1)
    act = Actuator(SOLENOID)
    run(lock, act, B, 20)
    drives = run(lock, act, A, 100)
    assert set(drives) == {0} and act.locked and lock.locked


def test_enable_one_access_off_unlock_waits_for_b1():
    """Given EnableOne charging, when access goes OFF, then no unlock in C or C1; unlock once B1 (12 D4, 8)."""
    lock = make_lock(lock=SOLENOID, rfid_reader=2)
    act = Actuator(SOLENOID)
    run(lock, act, C, 20)
    assert -1 not in run(lock, act, C, 20, access=OFF)
    assert -1 not in run(lock, act, C1, 60, access=OFF)
    assert act.locked
    drives = run(lock, act, B1, 20, access=OFF)
    assert drives[0] == -1 and not act.locked and lock.unlocked


def test_enable_all_access_off_does_not_unlock():
    """Given EnableAll (not EnableOne), when access is OFF in B1, then the cable stays locked (8)."""
    lock = make_lock(lock=SOLENOID, rfid_reader=1)
    act = Actuator(SOLENOID)
    run(lock, act, B, 20)
    assert -1 not in run(lock, act, B1, 50, access=OFF)


def test_ocpp_unlock_waits_for_b1():
    """Given OCPP asking for unlock, when in C, then no unlock; in B1, then unlock (8, 12 D4)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    run(lock, act, C, 20)
    lock.ocpp_unlock = True
    assert -1 not in run(lock, act, C, 20)
    assert run(lock, act, B1, 1)[0] == -1


def test_jam_retries_every_5_1_s_and_errors_after_3_attempts():
    """Given a jammed lock, when B lasts, then a new pulse every 51 steps and Lock error after the 3rd failure (8, 12 D4)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    act.jammed = True
    run(lock, act, B, 152)
    assert [p[0] for p in act.pulses] == [0, 51, 102]
    assert not lock.error and not lock.locked
    run(lock, act, B, 1, start=152)              # step 152: the third attempt ends
    assert lock.error
    run(lock, act, B, 60, start=153)
    assert [p[0] for p in act.pulses] == [0, 51, 102, 153, 204]   # retries continue
    assert lock.error


def test_lock_error_clears_when_feedback_confirms():
    """Given Lock error, when the jam frees and a retry locks, then the error clears (12 D12)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    act.jammed = True
    run(lock, act, B, 160)
    assert lock.error
    act.jammed = False
    run(lock, act, B, 60, start=160)
    assert lock.locked and not lock.error


def test_lock_error_clears_on_unplug():
    """Given Lock error, when the EV is unplugged (A), then the error clears (12 D12)."""
    lock = make_lock(lock=SOLENOID)
    act = Actuator(SOLENOID)
    act.jammed = True
    run(lock, act, B, 160)
    assert lock.error
    run(lock, act, A, 1)
    assert not lock.error


def test_direction_change_restarts_with_a_pulse():
    """Given a lock pulse under way, when the state returns to A, then an unlock pulse starts at once (8)."""
    lock = make_lock(lock=SOLENOID)
    assert lock.step_100ms(B, ON, 1) == 1
    assert lock.step_100ms(A, ON, 1) == -1
    assert lock._lock_step == 0
