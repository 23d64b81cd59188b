"""Decides the IEC 61851 state and the outputs of one controller (charging.md 2.1-2.5, 3, 7, 12).

The state machine of `Evse`: the 10 ms step (2.4: pilot and PP readings, rows 1-17 and
D6a/D6b, the RCM check), every entry action in `_set_state` (2.3), the 1 s step (2.5:
timers, protections, recoveries) and the event bits each step returns (EVerest
IECStateMachine style: it never calls upwards). Outputs are attributes (`duty_1024`,
`contactor1`, `contactor2`, `pilot_connected`) that the app applies to the board after
each step. Current decisions are asked of the `Regulation` record (`self.reg`,
regulation/balance.py). The 10 ms path allocates nothing: ints, preallocated lists.
"""

from micropython import const

from smartevse.regulation import balance, meters, phases
from smartevse.core import policy
from smartevse.core.pilot import (PILOT_12V, PILOT_9V, PILOT_6V, PILOT_3V, PILOT_SHORT,
                                  PILOT_DIODE, classify, cable_rating_a, duty_from_current)
from smartevse.core.states import (CONFIG_FIXED, CONFIG_SOCKET, LOADBL_FIRST_NODE, LOCK_NONE, RFID_ENABLE_ALL, RFID_ENABLE_ONE,
                                   STATE_A, STATE_B, STATE_C, STATE_D, STATE_COMM_B,
                                   STATE_COMM_B_OK, STATE_COMM_C, STATE_COMM_C_OK, STATE_ACTSTART,
                                   STATE_B1, STATE_C1, LESS_6A, TEMP_HIGH, RCM_TRIPPED, ACCESS_OFF,
                                   ACCESS_ON, MODE_SOLAR, EVENT_STATE, EVENT_ERROR, EVENT_ACCESS,
                                   EVENT_PLUGGED, EVENT_UNPLUGGED, EVENT_CHARGING_STARTED,
                                   EVENT_CHARGING_STOPPED, EVENT_CONTACTOR)

_DEBOUNCE_TICKS = const(50)     # B->C on 6 V and C->B on a short: > 50 samples (2.4 rows 7, 16)
_ACTIVATION_OFF = const(255)
_ACTIVATION_S = const(30)       # 2.9
_ACTSTART_S = const(3)
_C1_S = const(6)                # EV must stop drawing within 6 s
_C1_DELAY_S = const(15)         # ChargeDelay after C1
_B1_DELAY_S = const(3)          # minimum ChargeDelay after B1 entry
_PILOT_OFF_S = const(5)         # CP isolated after B1 entry with access ON
_RFID_LOCK_S = const(60)        # 9.2 re-lock timer
_LESS_6A_DELAY_S = const(60)    # 2.5-14 (Solar 15)
_SOLAR_DELAY_S = const(15)
_TEMP_HYSTERESIS_C = const(10)  # 3.3


class ChargingMachine:
    """The state, outputs and timers of one controller; reads `settings.values` live."""

    def __init__(self, settings):
        self.settings = settings
        v = settings.values
        self.state = STATE_A
        self.error_flags = 0
        self.access = v["access"]
        self.pilot = PILOT_12V            # last classification (1.3)
        self.ev_connected = False         # CP not at +12 V (interfaces.md 1.4)
        self.duty_1024 = 1024
        self.contactor1 = False
        self.contactor2 = False
        self.pilot_connected = True
        self.lock_required = False        # LOCK Solenoid/Motor on a socket: interlock (12 D4)
        self.max_capacity_a = v["current_max"]   # cable rating from PP (7)
        self.temperature_c = 0
        self.custom_button = False        # SWITCH Custom / REST custombutton (3.6)
        self.charge_delay_s = 0
        self.c1_timer_s = 0
        self.access_timer_s = 0
        self.mode_changed = False         # set_mode changed the mode: push it to the nodes
        self.reg = balance.Regulation()
        # Private machine variables (2.2).
        self._state_timer = 0
        self._diode_check = 0
        self._activation_mode = _ACTIVATION_OFF
        self._activation_timer_s = 0
        self._pilot_disconnected = False
        self._pilot_off_s = 0
        self._offer_1024 = duty_from_current(0)
        self._lock_ok = True
        self._events = 0
        self._last_error = 0
        self._last_access = self.access
        self._last_contactors = 0
        phases.check_phases(self.reg, v, True)

    # --- the 10 ms step (2.4) ------------------------------------------------------------
    def tick_10ms(self, high_min_mv, high_max_mv, low_min_mv, low_max_mv, pp_mv, rcm_high, lock_locked):
        """Classify the pilot, read PP, run rows 1-17 + D6a/D6b, check RCM. Returns EVENT_* bits."""
        v = self.settings.values
        self.lock_required = v["lock"] != LOCK_NONE and v["config"] == CONFIG_SOCKET
        self._lock_ok = lock_locked or not self.lock_required
        s = self.state
        # 1.2: the low (-12 V) window only in B/COMM_C until the diode was seen.
        if (s == STATE_B or s == STATE_COMM_C) and self._diode_check == 0:
            pilot = classify(low_min_mv, low_max_mv)
        else:
            pilot = classify(high_min_mv, high_max_mv)
        self.pilot = pilot
        self.ev_connected = pilot != PILOT_12V
        if pilot == PILOT_9V and (s == STATE_A or s == STATE_B1):
            # 7 and 12 D9: read the cable before the A -> B decision of this tick.
            self.max_capacity_a = v["current_max"] if v["config"] == CONFIG_FIXED else cable_rating_a(pp_mv)
        self._step(pilot, v)
        if rcm_high and v["rcmon"]:
            # 3.4: the HAL confirmed the double read; latching, repeated every tick.
            if self.state != STATE_A:
                self._set_state(STATE_B1)
            self.error_flags |= RCM_TRIPPED
        s = self.state
        if s == STATE_B or s == STATE_COMM_C:
            # 12 D12: no PWM until the lock confirms, so the EV waits in B.
            self.duty_1024 = 1024 if self._lock_hold() else self._offer_1024
        return self._take_events()

    def _step(self, p, v):
        s = self.state
        if s == STATE_A or s == STATE_COMM_B or s == STATE_B1:          # rows 1-4
            if self._pilot_disconnected:
                if self._pilot_off_s == 0:
                    self._pilot_disconnected = False
                    self.pilot_connected = True
            elif p == PILOT_12V:
                reader = v["rfid_reader"]
                if ((reader == RFID_ENABLE_ALL or reader == RFID_ENABLE_ONE) and self.access_timer_s == 0
                        and self.access == ACCESS_ON):
                    self.access_timer_s = _RFID_LOCK_S
                if s != STATE_A:
                    self._set_state(STATE_A)
                self.charge_delay_s = 0
            elif (p == PILOT_9V and self.error_flags == 0 and self.charge_delay_s == 0
                  and self.access == ACCESS_ON and s != STATE_COMM_B):
                self._start_b(v)
            elif p == PILOT_9V and s == STATE_A and self.access == ACCESS_ON:
                self._set_state(STATE_B1)
        if self.state == STATE_COMM_B_OK:                               # row 5
            self._set_state(STATE_B)
            self._activation_mode = _ACTIVATION_S
            self.access_timer_s = 0
        s = self.state
        if s == STATE_B or s == STATE_COMM_C:                            # rows 6-9
            if p == PILOT_12V:
                self._set_state(STATE_A)
            elif p == PILOT_6V:
                if self._state_timer < 255:
                    self._state_timer += 1
                if self._state_timer > _DEBOUNCE_TICKS:
                    self._request_c(v)
            elif p == PILOT_9V:
                self._state_timer = 0
                if self._activation_mode == 0:
                    self._set_state(STATE_ACTSTART)
                    self._activation_timer_s = _ACTSTART_S
                    self.duty_1024 = 0                 # constant -12 V (2.9)
            if p == PILOT_DIODE:
                self._diode_check = 1
        s = self.state
        if s == STATE_C1:                                                # rows 10-11
            if p == PILOT_12V:
                self._set_state(STATE_A)
            elif p == PILOT_9V:
                self._set_state(STATE_B1)
        if self.state == STATE_ACTSTART and self._activation_timer_s == 0:   # row 12
            self._set_state(STATE_B)
            self._activation_mode = _ACTIVATION_OFF
        if self.state == STATE_COMM_C_OK:                               # row 13
            if self._lock_ok:
                self._diode_check = 0
                self._set_state(STATE_C)
            else:
                self._set_state(STATE_COMM_C)   # 12 D4: no contactor before the lock confirms
        if self.state == STATE_C:                                        # rows 14-17
            if p == PILOT_12V:
                self._set_state(STATE_A)
            elif p == PILOT_9V:
                self._set_state(STATE_B)
                self._diode_check = 0
            elif p == PILOT_SHORT:
                self._state_timer += 1
                if self._state_timer > _DEBOUNCE_TICKS:
                    self._state_timer = 0
                    self._set_state(STATE_B)
                    self._diode_check = 0
            else:
                self._state_timer = 0
        s = self.state
        if (s == STATE_B or s == STATE_C) and p == PILOT_3V:             # D6a (12 D6, D11)
            self._state_timer = 0
            self._set_state(STATE_D)
        elif s == STATE_D:                                               # D6b
            if p == PILOT_12V:
                self._set_state(STATE_A)
            elif p == PILOT_9V or p == PILOT_6V:
                self._diode_check = 0
                self._set_state(STATE_B)

    def _start_b(self, v):
        """Row 3: A/B1 -> B (or COMM_B on a node) on 9 V with no error, delay or access block."""
        self._diode_check = 0
        reg = self.reg
        reg.offer_b(v, self.max_capacity_a)       # MIN or the cable cap, D13 ceilings
        if v["loadbl"] >= LOADBL_FIRST_NODE:
            self._set_state(STATE_COMM_B)
        elif balance.is_current_available(reg, v):
            reg.enter_b(self.max_capacity_a)
            self._set_state(STATE_B)
            self._activation_mode = _ACTIVATION_S
            self.access_timer_s = 0
        else:
            self.error_flags |= LESS_6A
            reg.refused(v)

    def _request_c(self, v):
        """Row 7 after the 0.5 s debounce: B -> C (COMM_C on a node)."""
        if not (self._diode_check == 1 and self.error_flags == 0 and self.charge_delay_s == 0
                and self.access == ACCESS_ON and self._lock_ok):
            return
        if v["loadbl"] >= LOADBL_FIRST_NODE:
            if self.state != STATE_COMM_C:
                self._set_state(STATE_COMM_C)
            return
        reg = self.reg
        if not reg.may_enter_c(v):
            self.error_flags |= LESS_6A
            reg.refused(v)
            return
        reg.join_c(v)
        self._diode_check = 0
        self._set_state(STATE_C)
        # Decision: the allocation runs with this EVSE counted as charging (the master does
        # the same for a node, 2.10), so it gets its share (cable cap included) now and the
        # duty is written in this tick; the fork allocates before the state changes and
        # leaves the EV at its B offer until the next regulation cycle. Solar's starting
        # phases (4.6 3a) are still chosen in B, by join_c above (decision S1).
        if balance.allocate(reg, v, 1, self.max_capacity_a) & balance.ALLOC_LESS_6A:
            self.error_flags |= LESS_6A
        self._write_offer()

    # --- entry actions (2.3) --------------------------------------------------------------
    def _set_state(self, new):
        old = self.state
        if new == STATE_B1 or new == STATE_A:
            if new == STATE_B1:
                if self.charge_delay_s == 0:
                    self.charge_delay_s = _B1_DELAY_S
                if old != STATE_B1 and not self._pilot_disconnected and self.access == ACCESS_ON:
                    self._pilot_disconnected = True
                    self.pilot_connected = False
                    self._pilot_off_s = _PILOT_OFF_S
            self.contactor1 = False
            self.contactor2 = False
            self.duty_1024 = 1024
            if new == STATE_A:
                self.error_flags &= ~LESS_6A
                self.charge_delay_s = 0
                self.reg.session_end()
                if (old == STATE_B or old == STATE_B1 or old == STATE_C or old == STATE_C1
                        or old == STATE_D) and policy.authorisation_source(self.settings.values):
                    self._store_access(ACCESS_OFF)     # 12 D1
                    self.access_timer_s = 0
        elif new == STATE_B:
            phases.check_phases(self.reg, self.settings.values, old == STATE_A)
            self.contactor1 = False
            self.contactor2 = False
            self._state_timer = 0    # the 0.5 s debounce counts from B entry
        elif new == STATE_D:
            self.contactor1 = False  # 12 D6: ventilation is not supported
            self.contactor2 = False
            self.duty_1024 = 1024
        elif new == STATE_C:
            self._activation_mode = _ACTIVATION_OFF
            self.contactor1 = True
            self.contactor2 = phases.enter_c(self.reg, self.settings.values)   # 6.1
        elif new == STATE_C1:
            self.duty_1024 = 1024    # contactors stay closed: the EV stops first
            self.c1_timer_s = _C1_S
            self.charge_delay_s = _C1_DELAY_S
        self.reg.own_state(new)
        self.state = new
        if new == STATE_B:
            self._write_offer()      # 12 D2: the offer appears on B entry
        if new != old:
            ev = EVENT_STATE
            if old == STATE_A:
                ev |= EVENT_PLUGGED
            if new == STATE_A:
                ev |= EVENT_UNPLUGGED
            if new == STATE_C:
                ev |= EVENT_CHARGING_STARTED
            if old == STATE_C:
                ev |= EVENT_CHARGING_STOPPED
            self._events |= ev

    def _write_offer(self):
        """Write the duty for Balanced[0] (1.1), held at +12 V while the lock is unconfirmed."""
        self._offer_1024 = duty_from_current(self.reg.node_balanced_da[0])
        self.duty_1024 = 1024 if self._lock_hold() else self._offer_1024

    def _lock_hold(self):
        return not self._lock_ok and self.state != STATE_C

    # --- the 1 s step (2.5) -----------------------------------------------------------------
    def tick_1s(self, temp_c):
        """Timers, protections and recoveries in the order of 2.5. Returns EVENT_* bits."""
        v = self.settings.values
        self.temperature_c = temp_c
        if self._activation_mode != 0 and self._activation_mode != _ACTIVATION_OFF:   # 1
            self._activation_mode -= 1
        if self._activation_timer_s > 0:
            self._activation_timer_s -= 1
        if self.state == STATE_C1:                                                      # 2
            if self.c1_timer_s > 0:
                self.c1_timer_s -= 1
            else:
                self._set_state(STATE_B1)
        reg = self.reg
        if reg.solar_timers_1s():                                                       # 3-4
            self._stop_timer_expired()
        if self._pilot_off_s > 0:                                                       # 5
            self._pilot_off_s -= 1
        if reg.node_timers_1s():                                                        # 6-7
            self._stop_timer_expired()
        if self.charge_delay_s > 0:                                                     # 8
            self.charge_delay_s -= 1
        if (self.charge_delay_s > 0 and not self.error_flags & LESS_6A and v["mode"] == MODE_SOLAR
                and v["loadbl"] < LOADBL_FIRST_NODE and not balance.is_current_available(reg, v)):
            self.error_flags |= LESS_6A
        if self.access_timer_s > 0 and self.state == STATE_A:                           # 9
            self.access_timer_s -= 1
            if self.access_timer_s == 0:
                self._set_access(ACCESS_OFF)
        elif self.state != STATE_A:
            self.access_timer_s = 0
        max_temp = v["temp_max"]
        if self.error_flags & TEMP_HIGH and temp_c < max_temp - _TEMP_HYSTERESIS_C:      # 10
            self.error_flags &= ~TEMP_HIGH
        if self.error_flags & LESS_6A and v["loadbl"] < LOADBL_FIRST_NODE and balance.is_current_available(reg, v):  # 11
            self.error_flags &= ~LESS_6A
        lost = meters.lost_1s(reg, v) & ~self.error_flags                              # 12 (3.5)
        if lost:
            self.error_flags |= lost
            self._power_unavailable()
        self.error_flags &= ~meters.alive(reg)
        if temp_c > max_temp and not self.error_flags & TEMP_HIGH:                      # 13
            self.error_flags |= TEMP_HIGH
            self._power_unavailable()
        if self.error_flags & LESS_6A:                                                  # 14
            self._power_unavailable()
            self.charge_delay_s = _SOLAR_DELAY_S if v["mode"] == MODE_SOLAR else _LESS_6A_DELAY_S
        reg.schedule_1s(v)                                                              # 15 (5.3)
        if reg.turn == 0 and self.state != STATE_C:
            # 5.3: a hand-over gave this master its turn: it starts as soon as current is
            # there (a refusal meanwhile sets LESS_6A and its 60 s delay again: undone here).
            self.error_flags &= ~LESS_6A
            self.charge_delay_s = 0
        return self._take_events()

    def _stop_timer_expired(self):
        """Solar stop or MaxSumMains timer ran out: C -> C1 and LESS_6A (2.5-4, 2.5-7)."""
        if self.state == STATE_C:
            self._set_state(STATE_C1)
        self.error_flags |= LESS_6A

    def _set_access(self, access):
        self._store_access(access)
        if access != ACCESS_ON:
            if self.state == STATE_C:
                self._set_state(STATE_C1)
            elif self.state == STATE_B:
                self._set_state(STATE_B1)

    def _store_access(self, access):
        self.access = access
        # Persisted, rate-limited (settings-and-menu.md 6.2). `store`, not `set`: every
        # caller passes OFF, ON or PAUSE (set_access checks), and two frames less keep a
        # MODE change from the menu inside the pystack budget (docs/architecture.md).
        self.settings.store("access", access)

    def _power_unavailable(self):
        s = self.state
        if s == STATE_C:
            self._set_state(STATE_C1)
        elif s != STATE_A and s != STATE_C1 and s != STATE_B1:
            self._set_state(STATE_B1)

    def _take_events(self):
        ev = self._events
        self._events = 0
        if self.error_flags != self._last_error:
            self._last_error = self.error_flags
            ev |= EVENT_ERROR
        if self.access != self._last_access:
            self._last_access = self.access
            ev |= EVENT_ACCESS
        contactors = (1 if self.contactor1 else 0) | (2 if self.contactor2 else 0)
        if contactors != self._last_contactors:
            self._last_contactors = contactors
            ev |= EVENT_CONTACTOR
        return ev
