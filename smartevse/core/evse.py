"""The IEC 61851 charging state machine of one controller (charging.md 2, 3, 6.1-6.2, 7, 12).

Decides the state (A ... C1, D), the contactor and control-pilot outputs, the error flags
and the access status, from the pilot/PP/RCM/lock readings every 10 ms (2.4), the
temperature and timers every second (2.5) and the ~2 s regulation cycle (4.3, allocation in
balance.py). Outputs are attributes (`duty_1024`, `contactor1`, `contactor2`,
`pilot_connected`) that the app applies to the board after each step. Every step returns
EVENT_* bits; the machine never calls upwards (EVerest IECStateMachine style). Every entry
action is in `_set_state` (2.3). The 10 ms path allocates nothing: ints, preallocated lists.
"""

from micropython import const

from smartevse.regulation import balance
from smartevse.core import policy
from smartevse.core.pilot import (PILOT_12V, PILOT_9V, PILOT_6V, PILOT_3V, PILOT_SHORT,
                             PILOT_DIODE, classify, cable_rating_a, duty_from_current)

from smartevse.core.states import (STATE_A, STATE_B, STATE_C, STATE_D, STATE_COMM_B,
                              STATE_COMM_B_OK, STATE_COMM_C, STATE_COMM_C_OK, STATE_ACTSTART,
                              STATE_B1, STATE_C1, LESS_6A, CT_NOCOMM, TEMP_HIGH, EV_NOCOMM,
                              RCM_TRIPPED, ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, MODE_NORMAL,
                              MODE_SMART, MODE_SOLAR, EVENT_STATE, EVENT_ERROR, EVENT_ACCESS,
                              EVENT_MODE, EVENT_PLUGGED, EVENT_UNPLUGGED,
                              EVENT_CHARGING_STARTED, EVENT_CHARGING_STOPPED, EVENT_CONTACTOR,
                              NR_EVSES)

_DEBOUNCE_TICKS = const(50)     # B->C on 6 V and C->B on a short: > 50 samples (2.4 rows 7, 16)
_ACTIVATION_OFF = const(255)
_ACTIVATION_S = const(30)       # 2.9
_ACTSTART_S = const(3)
_C1_S = const(6)                # EV must stop drawing within 6 s
_C1_DELAY_S = const(15)         # ChargeDelay after C1
_B1_DELAY_S = const(3)          # minimum ChargeDelay after B1 entry
_PILOT_OFF_S = const(5)         # CP isolated after B1 entry with access ON
_RFID_LOCK_S = const(60)        # 9.2 re-lock timer
_MAINS_TIMEOUT_S = const(11)    # 3.5
_EV_TIMEOUT_S = const(64)
_LESS_6A_DELAY_S = const(60)    # 2.5-14 (Solar 15)
_SOLAR_DELAY_S = const(15)
_TEMP_HYSTERESIS_C = const(10)  # 3.3


def temp_c_from_mv(mv):
    """MCP9700A temperature in whole degC from its output in mV (charging.md 3.3)."""
    return balance.cdiv(mv - 500, 10)


class Evse:
    """One controller's charging core; reads `settings.values` live."""

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
        self.phases = 3
        self.phase_request = 0            # 0 none, 1 or 3: switch at the next C entry (6.2)
        self.max_capacity_a = v["current_max"]
        self.charge_current_da = 0
        self.override_current_da = 0      # 0 = none (D13, D15)
        self.ocpp_limit_da = -1           # OCPP charging-profile limit, -1 = none (4.4)
        self.temperature_c = 0
        self.custom_button = False
        self.grid_relay_open = False
        self.charge_delay_s = 0
        self.c1_timer_s = 0
        self.access_timer_s = 0
        self.solar_stop_timer_s = 0
        self.max_sum_mains_timer_s = 0
        self.phase_switch_timer_s = 0
        self.settling_timer_s = 0
        self.mains_timeout_s = _MAINS_TIMEOUT_S
        self.ev_timeout_s = _EV_TIMEOUT_S
        self.mode_changed = False         # set_mode changed the mode: push it to the nodes
        # Regulation inputs and state (4.2, 4.6); the meter issue fills the currents.
        self.mains_irms_da = [0, 0, 0]
        self.ev_irms_da = [0, 0, 0]
        self.mains_fresh = True
        self.iset_balanced_da = 0
        self.no_current = 0
        self.limited_by_max_sum_mains = False
        # Power-share tables, index 0 = this controller (2.2).
        self.node_balanced_da = [0] * NR_EVSES
        self.node_max_da = [0] * NR_EVSES
        self.node_state = [STATE_A] * NR_EVSES
        self.node_error = [0] * NR_EVSES
        self.node_prev_da = [0] * NR_EVSES
        self.node_timer_s = [0] * NR_EVSES
        self.node_int_timer_s = [0] * NR_EVSES
        self.alloc_fixed = bytearray(NR_EVSES)
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
        self._check_phases()

    @property
    def balanced_da(self):
        """This controller's allocated current (Balanced[0], dA)."""
        return self.node_balanced_da[0]

    def advertised_da(self):
        """The current the CP offers now (dA): 0 while the PWM is off (1.1)."""
        if self.duty_1024 <= 0 or self.duty_1024 >= 1024:
            return 0
        current_da = self.node_balanced_da[0]
        return current_da if 60 <= current_da <= 800 else 60

    # --- the 10 ms step (2.4) ------------------------------------------------------------
    def tick_10ms(self, high_min_mv, high_max_mv, low_min_mv, low_max_mv, pp_mv, rcm_high, lock_locked):
        """Classify the pilot, read PP, run rows 1-17 + D6a/D6b, check RCM. Returns EVENT_* bits."""
        v = self.settings.values
        self.lock_required = v["lock"] != 0 and v["config"] == 0
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
            self.max_capacity_a = v["current_max"] if v["config"] == 1 else cable_rating_a(pp_mv)
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
                if (reader == 1 or reader == 2) and self.access_timer_s == 0 and self.access == ACCESS_ON:
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
        cap_a = self.max_capacity_a
        if v["current_max"] > cap_a and cap_a != 0:
            self.charge_current_da = cap_a * 10
        else:
            self.charge_current_da = v["current_min"] * 10
        # 12 D13 (D2 "as 4.4 gives"): the override and OCPP ceilings also cap the B offer.
        ceiling_da = balance.charge_current(self)
        if ceiling_da >= v["current_min"] * 10 and ceiling_da < self.charge_current_da:
            self.charge_current_da = ceiling_da
        if v["loadbl"] >= 2:
            self._set_state(STATE_COMM_B)
        elif balance.is_current_available(self):
            self.node_max_da[0] = cap_a * 10
            self.node_balanced_da[0] = self.charge_current_da
            self._set_state(STATE_B)
            self._activation_mode = _ACTIVATION_S
            self.access_timer_s = 0
        else:
            self.error_flags |= LESS_6A

    def _request_c(self, v):
        """Row 7 after the 0.5 s debounce: B -> C (COMM_C on a node)."""
        if not (self._diode_check == 1 and self.error_flags == 0 and self.charge_delay_s == 0
                and self.access == ACCESS_ON and self._lock_ok):
            return
        if v["loadbl"] >= 2:
            if self.state != STATE_COMM_C:
                self._set_state(STATE_COMM_C)
            return
        self.node_max_da[0] = self.charge_current_da
        if not balance.is_current_available(self):
            self.error_flags |= LESS_6A
            return
        self.node_balanced_da[0] = v["current_min"] * 10
        self._diode_check = 0
        self._set_state(STATE_C)
        # Decision: the allocation runs with this EVSE counted as charging (the master does
        # the same for a node, 2.10), so it gets its share (cable cap included) now and the
        # duty is written in this tick; the fork allocates before the state changes and
        # leaves the EV at its B offer until the next regulation cycle.
        balance.allocate(self, 1)
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
                self.node_timer_s[0] = 0
                self.node_int_timer_s[0] = 0
                if (old == STATE_B or old == STATE_B1 or old == STATE_C or old == STATE_C1
                        or old == STATE_D) and policy.authorisation_source(self.settings.values):
                    self._store_access(ACCESS_OFF)     # 12 D1
                    self.access_timer_s = 0
        elif new == STATE_B:
            self._check_phases()
            self.contactor1 = False
            self.contactor2 = False
            self._state_timer = 0    # the 0.5 s debounce counts from B entry
        elif new == STATE_D:
            self.contactor1 = False  # 12 D6: ventilation is not supported
            self.contactor2 = False
            self.duty_1024 = 1024
        elif new == STATE_C:
            self._activation_mode = _ACTIVATION_OFF
            if self.phase_request:
                self.phases = self.phase_request
                self.node_int_timer_s[0] = 0
            self.contactor1 = True
            if self.single_phase_forced():
                self.contactor2 = False
                self.phases = 1
            else:
                self.contactor2 = True
                self.phases = 3
            self.max_sum_mains_timer_s = 0
            self.solar_stop_timer_s = 0
            self.phase_request = 0
        elif new == STATE_C1:
            self.duty_1024 = 1024    # contactors stay closed: the EV stops first
            self.c1_timer_s = _C1_S
            self.charge_delay_s = _C1_DELAY_S
        self.node_state[0] = new
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
        self._offer_1024 = duty_from_current(self.node_balanced_da[0])
        self.duty_1024 = 1024 if self._lock_hold() else self._offer_1024

    def _lock_hold(self):
        return not self._lock_ok and self.state != STATE_C

    # --- phases (6.1, 6.2) ------------------------------------------------------------------
    def single_phase_forced(self):
        """True when contactor 2 must stay open (6.1)."""
        return policy.single_phase_forced(self.settings.values, self.phases)

    def _check_phases(self):
        """Re-evaluate the phase count on B entry, set_mode and a CONTACT 2 change (6.2)."""
        v = self.settings.values
        mode = v["mode"]
        if v["enable_C2"] != policy.C2_AUTO or mode == MODE_SOLAR:
            target = 1 if self.single_phase_forced() else 3
            if self.phases == target:
                self.phase_request = 0
            elif self.state == STATE_A:
                self.phases = target
            else:
                self.phase_request = target
        elif mode == MODE_SMART:
            self.phase_request = 3 if self.phases != 3 else 0

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
        if self.settling_timer_s > 0:                                                   # 3
            self.settling_timer_s -= 1
        self.solar_stop_timer_s = self._expire(self.solar_stop_timer_s)                 # 4
        if self.phase_switch_timer_s > 0:
            self.phase_switch_timer_s -= 1
        if self._pilot_off_s > 0:                                                       # 5
            self._pilot_off_s -= 1
        for n in range(NR_EVSES):                                                       # 6
            if self.node_state[n] == STATE_C:
                self.node_int_timer_s[n] += 1
                self.node_timer_s[n] += 1
            else:
                self.node_int_timer_s[n] = 0
        self.max_sum_mains_timer_s = self._expire(self.max_sum_mains_timer_s)           # 7
        if self.charge_delay_s > 0:                                                     # 8
            self.charge_delay_s -= 1
        if (self.charge_delay_s > 0 and not self.error_flags & LESS_6A and v["mode"] == MODE_SOLAR
                and v["loadbl"] < 2 and not balance.is_current_available(self)):
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
        if self.error_flags & LESS_6A and v["loadbl"] < 2 and balance.is_current_available(self):  # 11
            self.error_flags &= ~LESS_6A
        self._comm_timeouts(v)                                                          # 12
        if temp_c > max_temp and not self.error_flags & TEMP_HIGH:                      # 13
            self.error_flags |= TEMP_HIGH
            self._power_unavailable()
        if self.error_flags & LESS_6A:                                                  # 14
            self._power_unavailable()
            self.charge_delay_s = _SOLAR_DELAY_S if v["mode"] == MODE_SOLAR else _LESS_6A_DELAY_S
        # 15: priority-scheduling tick (5.3) comes with the power-share issue.
        return self._take_events()

    def _expire(self, timer_s):
        """Count a stop timer down; at 0: C -> C1 and LESS_6A (2.5-4, 2.5-7)."""
        if timer_s > 0:
            timer_s -= 1
            if timer_s == 0:
                if self.state == STATE_C:
                    self._set_state(STATE_C1)
                self.error_flags |= LESS_6A
        return timer_s

    def _comm_timeouts(self, v):
        """3.5: mains meter (or, on a node, the master's broadcasts) and EV meter."""
        normal = v["mode"] == MODE_NORMAL
        if v["loadbl"] >= 2:
            self.mains_timeout_s = self._count_down(self.mains_timeout_s, CT_NOCOMM, True)
        elif v["mains_meter_type"] != 0:
            self.mains_timeout_s = self._count_down(self.mains_timeout_s, CT_NOCOMM, not normal)
        else:
            self.mains_timeout_s = _MAINS_TIMEOUT_S
        if v["ev_meter_type"] != 0:
            self.ev_timeout_s = self._count_down(self.ev_timeout_s, EV_NOCOMM, not normal)
        else:
            self.ev_timeout_s = _EV_TIMEOUT_S
        if self.error_flags & CT_NOCOMM and self.mains_timeout_s > 0:
            self.error_flags &= ~CT_NOCOMM
        if self.error_flags & EV_NOCOMM and self.ev_timeout_s > 0:
            self.error_flags &= ~EV_NOCOMM

    def _count_down(self, timeout_s, flag, may_raise):
        if timeout_s > 0:
            return timeout_s - 1
        if may_raise and not self.error_flags & flag:
            self.error_flags |= flag
            self._power_unavailable()
        return 0

    def mains_reading(self):
        """A valid mains current reading arrived (node: a current broadcast): reload 11 s (3.5)."""
        self.mains_timeout_s = _MAINS_TIMEOUT_S
        self.mains_fresh = True

    def ev_meter_reading(self):
        """A valid EV-meter current reading arrived: reload 64 s (3.5)."""
        self.ev_timeout_s = _EV_TIMEOUT_S

    # --- regulation cycle (4.3) -----------------------------------------------------------------
    def regulate(self):
        """One regulation cycle on a master/standalone: allocate, check, write the duty (4.3)."""
        v = self.settings.values
        if v["loadbl"] >= 2:
            return self._take_events()          # a node follows the master's broadcasts
        balance.allocate(self, 0)
        if self.state == STATE_C and self.node_balanced_da[0] == 0:
            # 12 D5 (also an OCPP limit below MIN): stop as a node does, never offer "0".
            self.error_flags |= LESS_6A
            self._power_unavailable()
        irms = self.mains_irms_da
        if v["mode"] != MODE_NORMAL and (irms[0] > v["current_main"] * 20 or irms[1] > v["current_main"] * 20
                                         or irms[2] > v["current_main"] * 20):
            self.error_flags |= LESS_6A         # hard overload, 3.2 (broadcast: power-share issue)
            self.no_current = 0
        if self.state == STATE_B or self.state == STATE_C:
            self._write_offer()
        return self._take_events()

    def node_current(self, current_da):
        """Node: the master's broadcast share for this controller arrived (5.2)."""
        self.node_balanced_da[0] = current_da
        self.mains_timeout_s = _MAINS_TIMEOUT_S
        if current_da == 0 and self.state == STATE_C:
            self._set_state(STATE_C1)
        elif self.state == STATE_B or self.state == STATE_C:
            self._write_offer()
        return self._take_events()

    def grant(self, state):
        """The master's state write (modbus.md 5.1): COMM_B_OK in COMM_B, COMM_C_OK in COMM_C."""
        if (state == STATE_COMM_B_OK and self.state == STATE_COMM_B) or \
                (state == STATE_COMM_C_OK and self.state == STATE_COMM_C):
            self._set_state(state)
        return self._take_events()

    # --- commands -------------------------------------------------------------------------------
    def set_access(self, access):
        """Access ON/OFF/PAUSE (2.6), persisted. Returns EVENT_* bits."""
        if access == ACCESS_OFF or access == ACCESS_ON or access == ACCESS_PAUSE:
            self._set_access(access)
        return self._take_events()

    def _set_access(self, access):
        self._store_access(access)
        if access != ACCESS_ON:
            if self.state == STATE_C:
                self._set_state(STATE_C1)
            elif self.state == STATE_B:
                self._set_state(STATE_B1)

    def _store_access(self, access):
        self.access = access
        values = self.settings.values
        if values["access"] != access:
            values["access"] = access
            self.settings.dirty = True

    def set_mode(self, mode):
        """Change the charging mode (4.1). Returns None or an error text."""
        v = self.settings.values
        error = policy.mode_error(v, mode)
        if error is not None:
            return error
        old = v["mode"]
        if old != mode:
            v["mode"] = mode
            self.settings.dirty = True
            self.mode_changed = True
            self.override_current_da = 0        # D15: no stale override in another mode
            self._events |= EVENT_MODE
            self.restart_meter_timeouts()
        self._set_access(ACCESS_OFF if v.get("starttime", 0) else ACCESS_ON)
        if mode == MODE_SOLAR:
            self.override_current_da = 0
        c2 = v["enable_C2"]
        if old != mode and ((c2 == policy.C2_SOLAR_OFF and (old == MODE_SOLAR or mode == MODE_SOLAR))
                            or (c2 == policy.C2_AUTO and old == MODE_SOLAR and self.phases == 1)):
            if self.state == STATE_C:
                self._set_state(STATE_C1)       # contactors re-sequence through B1
            elif self.state == STATE_B:
                self._set_state(STATE_B1)
        self._check_phases()
        if mode == MODE_SMART:
            self.error_flags &= ~LESS_6A
            self.solar_stop_timer_s = 0
            self.max_sum_mains_timer_s = 0
        self.charge_delay_s = 0
        return None

    def settings_changed(self, key):
        """Side effects of a settings change that touch the core (settings-and-menu.md 1.3, 1.4)."""
        v = self.settings.values
        if key == "enable_C2":
            self._check_phases()
        elif key == "modes_disabled" or key == "mains_meter_type":
            if policy.mode_error(v, v["mode"]) is not None:
                self.set_mode(MODE_NORMAL)
        self.restart_meter_timeouts()

    def restart_meter_timeouts(self):
        """After a settings change (settings-and-menu.md 1.4 rule 8): a stale meter error
        clears at the next second and is raised again only if the meter stays silent."""
        self.mains_timeout_s = _MAINS_TIMEOUT_S
        self.ev_timeout_s = _EV_TIMEOUT_S

    def set_power_unavailable(self):
        """Stop offering current (2.7): C -> C1, other states but A/C1/B1 -> B1."""
        self._power_unavailable()
        return self._take_events()

    def _power_unavailable(self):
        s = self.state
        if s == STATE_C:
            self._set_state(STATE_C1)
        elif s != STATE_A and s != STATE_C1 and s != STATE_B1:
            self._set_state(STATE_B1)

    def stop_charging(self, charge_delay_s):
        """C -> C1 with a charge delay (SWITCH press or Sma-Sol hold, 3.6)."""
        if self.state == STATE_C:
            self._set_state(STATE_C1)
            self.charge_delay_s = charge_delay_s
        return self._take_events()

    def clear_rcm(self, rcm_high):
        """User action (button, switch): clear RCM_TRIPPED if the input is low or RCMON off (3.4)."""
        if not rcm_high or not self.settings.values["rcmon"]:
            self.error_flags &= ~RCM_TRIPPED
        return self._take_events()

    def force_safe(self):
        """Loop fail-safe: contactors open, CP at +12 V (any state but A -> B1)."""
        if self.state != STATE_A:
            self._set_state(STATE_B1)
        else:
            self.contactor1 = False
            self.contactor2 = False
            self.duty_1024 = 1024
        return self._take_events()

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
