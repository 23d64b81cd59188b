"""Cable lock: when to lock or unlock the socket's actuator, and whether it holds (charging.md 8).

Runs every 100 ms (charging.md 0.1). Decides the wanted direction from the state, access
and settings, pulses the actuator like the fork's `actuate_cable_lock`, reads the feedback
input and reports `locked` for the B -> C interlock and `error` for "Lock error"
(charging.md 12 D4, D12). Pure logic: the app drives `board.lock` with the return value.
"""
from micropython import const

from smartevse.core.states import (ACCESS_OFF, CONFIG_SOCKET, LOCK_MOTOR, LOCK_NONE,
                                   RFID_ENABLE_ONE, STATE_A, STATE_C, STATE_C1)

DRIVE_LOCK = const(1)
DRIVE_UNLOCK = const(-1)
DRIVE_OFF = const(0)

# Step counter landmarks, in 100 ms steps (charging.md 8).
_PULSE_END = const(6)          # step 6: outputs off, so the pulse is 600 ms
_SETTLED = const(7)            # in position: the counter alternates 7/8
_RETRY_AFTER = const(50)       # still in the old position after step 50: new pulse
_ERROR_ATTEMPTS = const(3)     # failed lock attempts before "Lock error" (12 D4)


class CableLock:
    """Cable-lock actuator decision for a socket (charging.md 8, 12 D4/D12)."""

    def __init__(self, settings):
        self._settings = settings
        self._lock_step = 0        # the fork's locktimer
        self._unlock_step = 0      # the fork's unlocktimer
        self._failed = 0           # lock attempts that ended without "locked" feedback
        self.drive = DRIVE_OFF
        self.locked = True         # feedback says locked, or no actuator: interlock passes
        self.unlocked = True       # feedback says unlocked, or no actuator (display)
        self.error = False         # "Lock error": 3 failed lock attempts (12 D12)
        self.active = False        # an actuator is in use (LOCK != 0 on a socket)
        self.ocpp_unlock = False   # set by OCPP: OCPP active and not forcing the lock

    def step_100ms(self, state, access, feedback_level):
        """Advance one 100 ms step; returns the drive: 1 lock, -1 unlock, 0 off.

        state: charging state id; access: 0 OFF, 1 ON, 2 PAUSE; feedback_level: raw
        level (0/1) of the feedback input.
        """
        values = self._settings.values
        kind = values["lock"]
        if kind == LOCK_NONE or values["config"] != CONFIG_SOCKET:
            self._idle()
            return self.drive
        self.active = True
        # Solenoid: 0 = locked; Motor: 1 = locked (charging.md 8).
        if kind == LOCK_MOTOR:               # its feedback wire is inverted (1 = locked)
            is_locked = feedback_level == 1
        else:
            is_locked = feedback_level == 0
        self.locked = is_locked
        self.unlocked = not is_locked
        if is_locked or state == STATE_A:
            # D12: confirmed or unplugged clears the error (retries go on regardless).
            self._failed = 0
            self.error = False

        unlock = state == STATE_A or self.ocpp_unlock or (
            values["rfid_reader"] == RFID_ENABLE_ONE and access == ACCESS_OFF)
        if unlock and (state == STATE_C or state == STATE_C1):
            # 12 D4: never unlock while the contactors may be closed; the cause waits
            # until the state reaches B1.
            unlock = False
        if unlock:
            if values["cablelock"] == 1:
                # Permanent lock: no unlock. Nothing is actuated (as the fork), and a
                # pulse cut short here is de-energised rather than held.
                self.drive = DRIVE_OFF
            else:
                self._actuate(False, is_locked)
        elif state != STATE_A:
            self._actuate(True, is_locked)
        return self.drive

    def _idle(self):
        """No actuator in use: nothing driven, the interlock passes."""
        self.active = False
        self.drive = DRIVE_OFF
        self._lock_step = 0
        self._unlock_step = 0
        self._failed = 0
        self.locked = True
        self.unlocked = True
        self.error = False

    def _actuate(self, lock, is_locked):
        """One step of the pulse-and-check sequence in one direction (charging.md 8)."""
        if lock:
            step = self._lock_step
            self._unlock_step = 0      # running one direction resets the other
        else:
            step = self._unlock_step
            self._lock_step = 0
        if step == 0:
            self.drive = DRIVE_LOCK if lock else DRIVE_UNLOCK
        elif step == _PULSE_END:
            self.drive = DRIVE_OFF
        # Feedback is read from step 8 on (the fork's post-increment `timer++ > 7`).
        checking = step > _SETTLED
        step += 1
        if checking:
            if is_locked == lock:
                step = _SETTLED        # in position: no more pulses, re-check every 200 ms
            elif step > _RETRY_AFTER:
                step = 0               # still in the old position: new pulse (~5 s cycle)
                if lock and self._failed < _ERROR_ATTEMPTS:
                    self._failed += 1
                    if self._failed == _ERROR_ATTEMPTS:
                        self.error = True
        if lock:
            self._lock_step = step
        else:
            self._unlock_step = step
