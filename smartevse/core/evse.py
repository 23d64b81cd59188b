"""The charging core of one controller: the IEC 61851 machine and every command it takes
(charging.md 2.6-2.10, 3.4, 3.6, 4.1, 4.3, 5.2, 6.2a, 12).

`Evse` is the machine of core/machine.py (states, entry actions, the 10 ms and 1 s steps)
plus what the outside may ask of it. It is a closed core: every outside change is a
command (`set_mode`, `set_access`, `set_override_current`, `request_phases`,
`mains_reading`, ...) and nothing else assigns its attributes. The regulation and
power-sharing state is one `Regulation` record (`self.reg`, regulation/balance.py) that
the Evse holds and asks; a few read-only views of it keep observers (REST, UI, the
simulator) unchanged. Every command that can change the state returns EVENT_* bits.
"""

from smartevse.regulation import balance, meters, solar
from smartevse.regulation.phases import check_phases, mode_resequences
from smartevse.regulation.share import cdiv
from smartevse.core import policy
from smartevse.core.machine import ChargingMachine
from smartevse.core.pilot import duty_from_current
from smartevse.core.states import (LOADBL_FIRST_NODE, LOADBL_MASTER,
                                   STATE_A, STATE_B, STATE_C, STATE_B1, STATE_C1, STATE_COMM_B,
                                   STATE_COMM_B_OK, STATE_COMM_C, STATE_COMM_C_OK, LESS_6A,
                                   RCM_TRIPPED, CT_NOCOMM, ACCESS_OFF, ACCESS_ON, ACCESS_PAUSE, MODE_NORMAL,
                                   MODE_SMART, EVENT_MODE)


def temp_c_from_mv(mv):
    """MCP9700A temperature in whole degC from its output in mV (charging.md 3.3)."""
    return cdiv(mv - 500, 10)


class Evse(ChargingMachine):
    """One controller's charging core: the machine, its commands and its regulation record."""

    # Read-only views of the regulation record for observers (REST, UI, simulator).
    balanced_da = property(lambda self: self.reg.node_balanced_da[0])   # Balanced[0]
    node_balanced_da = property(lambda self: self.reg.node_balanced_da)
    node_state = property(lambda self: self.reg.node_state)
    mains_irms_da = property(lambda self: self.reg.mains_irms_da)
    ev_irms_da = property(lambda self: self.reg.ev_irms_da)
    circuit_da = property(lambda self: self.reg.circuit_da)
    phases = property(lambda self: self.reg.phases)
    phase_request = property(lambda self: self.reg.phase_request)
    override_current_da = property(lambda self: self.reg.override_current_da)
    grid_relay_open = property(lambda self: self.reg.grid_relay_open)
    solar_stop_timer_s = property(lambda self: self.reg.solar_stop_timer_s)
    max_sum_mains_timer_s = property(lambda self: self.reg.max_sum_mains_timer_s)

    _node_rules = None        # regulation/nodes.py once this controller shares power
    rise_due = False          # a master's higher share, written once the nodes have theirs

    def advertised_da(self):
        """The current the CP offers now (dA): 0 while the PWM is off (1.1)."""
        if self.duty_1024 <= 0 or self.duty_1024 >= 1024:
            return 0
        current_da = self.reg.node_balanced_da[0]
        return current_da if 60 <= current_da <= 800 else 60

    # --- regulation cycle (4.3) -----------------------------------------------------------------
    def regulate(self):
        """One regulation cycle on a master/standalone: allocate, check, write the duty (4.3)."""
        v = self.settings.values
        if v["loadbl"] >= LOADBL_FIRST_NODE:
            return self._take_events()          # a node follows the master's broadcasts
        reg = self.reg
        result = balance.allocate(reg, v, 0, self.max_capacity_a)
        if result & balance.ALLOC_LESS_6A:
            self.error_flags |= LESS_6A
        if result & balance.ALLOC_SWITCH and self.state == STATE_C:
            self._set_state(STATE_C1)           # 6.4: stop offering; switch at the next C entry
        if self.state == STATE_C and reg.node_balanced_da[0] == 0:
            # 12 D5 (also an OCPP limit below MIN): stop as a node does, never offer "0".
            self.error_flags |= LESS_6A
            self._power_unavailable()
        if reg.hard_overload(v):
            self.error_flags |= LESS_6A         # 3.2 (the broadcast comes with power sharing)
        if self.state == STATE_B or self.state == STATE_C:
            if v["loadbl"] == LOADBL_MASTER and duty_from_current(reg.node_balanced_da[0]) > self._offer_1024:
                self.rise_due = True            # a master's rise waits for its broadcast (5.2)
            else:
                self._write_offer()
        return self._take_events()

    def share_sent(self):
        """Master: the broadcast with the nodes' shares is out; its own rise follows now."""
        if self.rise_due:
            self.rise_due = False
            if self.state == STATE_B or self.state == STATE_C:
                self._write_offer()

    def node_current(self, current_da):
        """Node: the master's broadcast share for this controller arrived (5.2)."""
        self.reg.node_current(current_da)
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

    def node_report(self, n, state, error, max_da):
        """Master: node n's status reply (2.10); the state to write back, or -1."""
        answer = self._nodes().node_report(self.reg, self.settings.values, n, state, error,
                                           max_da, self.error_flags & CT_NOCOMM,
                                           self.max_capacity_a)
        if answer == STATE_COMM_C_OK and self.state == STATE_C:
            # Decision: a node admitted to C shrinks this EVSE's share now, not at the next
            # cycle (4.3 step 5), so the two do not draw their old and new shares together.
            self._write_offer()
        return answer

    def _nodes(self):
        # regulation/nodes.py, imported on first use: a standalone controller never holds it;
        # kept here so later calls allocate nothing.
        rules = self._node_rules
        if rules is None:
            from smartevse.regulation import nodes as rules
            self._node_rules = rules
        return rules

    def node_lost(self, n):
        """Master: node n went offline (5.4)."""
        self._nodes().node_lost(self.reg, n)

    def master_errors(self, flags):
        """Node: the master wrote the error register (modbus.md 4.6)."""
        # Only the master's bits are taken: a Modbus write never clears RCM or temperature.
        if self.error_flags & LESS_6A and not flags & LESS_6A:
            # Decision: the master clears LESS_6A when current is there for this node (4.5)
            # or its turn came (5.3): it starts now, not after the 60 s delay LESS_6A began.
            self.charge_delay_s = 0
        self.error_flags = (self.error_flags & ~(LESS_6A | CT_NOCOMM)) | (flags & (LESS_6A | CT_NOCOMM))
        if flags & CT_NOCOMM:
            self._nodes().master_lost(self.reg)
        if flags & (LESS_6A | CT_NOCOMM):
            self._power_unavailable()               # stop charging, 60 s charge delay
            self.charge_delay_s = 60
        return self._take_events()

    # --- commands -------------------------------------------------------------------------------
    def set_access(self, access):
        """Access ON/OFF/PAUSE (2.6), persisted. Returns EVENT_* bits."""
        if access == ACCESS_OFF or access == ACCESS_ON or access == ACCESS_PAUSE:
            self._set_access(access)
        return self._take_events()

    def set_mode(self, mode):
        """Change the charging mode (4.1). Returns None or an error text."""
        v = self.settings.values
        error = policy.mode_error(v, mode)
        if error is not None:
            return error
        old = v["mode"]
        if old != mode:
            self.settings.store("mode", mode)   # checked above: 3 frames less (pystack)
            self.mode_changed = True
            self._events |= EVENT_MODE
        reg = self.reg
        reg.mode_set(old, mode)                 # D15 override, meter timeouts, Smart timers
        self._set_access(ACCESS_OFF if v["starttime"] else ACCESS_ON)
        if mode_resequences(reg, v, old, mode):
            if self.state == STATE_C:
                self._set_state(STATE_C1)       # contactors re-sequence through B1
            elif self.state == STATE_B:
                self._set_state(STATE_B1)
        check_phases(reg, v, self.state == STATE_A)
        if mode == MODE_SMART:
            self.error_flags &= ~LESS_6A
        self.charge_delay_s = 0
        return None

    def settings_changed(self, key):
        """Side effects of a settings change that touch the core (settings-and-menu.md 1.3, 1.4)."""
        v = self.settings.values
        if key == "enable_C2":
            self.reg.phases_held = 0            # a new CONTACT 2 ends an outside request (6.2a)
            check_phases(self.reg, v, self.state == STATE_A)
        elif key == "modes_disabled" or key == "mains_meter_type":
            if policy.mode_error(v, v["mode"]) is not None:
                self.set_mode(MODE_NORMAL)      # the active mode is no longer allowed (4.1)
        self.restart_meter_timeouts()

    def restart_meter_timeouts(self):
        """After a settings change (settings-and-menu.md 1.4 rule 8): a stale meter error
        clears at the next second and is raised again only if the meter stays silent."""
        meters.restart(self.reg)

    # Inputs from outside: meters, ceilings, phases, switch and REST flags, sensors.
    def mains_reading(self, l1_da, l2_da, l3_da):
        """A valid mains reading in dA per phase (4.2, 3.5)."""
        meters.mains_reading(self.reg, l1_da, l2_da, l3_da)
        solar.battery_correct(self.reg, self.settings.values)

    def ev_meter_reading(self, l1_da, l2_da, l3_da):
        """A valid EV-meter reading in dA per phase (4.2, 3.5)."""
        meters.ev_reading(self.reg, l1_da, l2_da, l3_da)

    def circuit_reading(self, l1_da, l2_da, l3_da):
        """A circuit (sub-panel) meter reading in dA per phase (4.2, 4.8)."""
        meters.circuit_reading(self.reg, l1_da, l2_da, l3_da)

    def set_override_current(self, current_da):
        """Override current in dA (0 = none): a ceiling on the offer (4.4, D13, D15)."""
        self.reg.set_override(current_da)

    def set_ocpp_limit(self, limit_da):
        """OCPP charging-profile limit in dA (-1 = none): a ceiling (4.4, D13)."""
        self.reg.set_ocpp_limit(limit_da)

    def solar_stop_timer(self, seconds):
        """Node: the master's solar stop timer in s (charging.md 2.10 step 5, modbus.md 5.1)."""
        self.reg.sync_solar_timer(seconds)

    def capacity_headroom(self, headroom_da):
        """The capacity tariff's headroom, dA summed over the phases; None = off (4.8)."""
        self.reg.set_capacity_headroom(self.settings.values, headroom_da)

    def request_phases(self, count):
        """Switch to 1 or 3 phases (6.2a): at once in A, else C -> C1 and the switch at the
        next C entry (6.4); callers check CONTACT 2."""
        reg = self.reg
        reg.request_phases(count)
        if self.state == STATE_A:
            reg.phases = count
            reg.phase_request = 0
        elif reg.phase_request and self.state == STATE_C:
            self._set_state(STATE_C1)           # events stay pending for the next service

    def home_battery(self, current_da):
        """The home battery's current in dA (+ = charging) from REST/MQTT (4.2)."""
        solar.battery_update(self.reg, current_da)

    def node_status(self, n, state, max_da):
        """Master: node n reported its state and its ceiling in dA (2.10)."""
        self.reg.node_status(n, state, max_da)

    def set_grid_relay(self, is_open):
        """SWITCH Grid Relay: open limits the sum to 18 A (3.6, 4.8)."""
        self.reg.set_grid_relay(is_open)

    def set_custom_button(self, on):
        """The Custom switch/button flag, published over MQTT only (3.6)."""
        self.custom_button = bool(on)

    def set_temperature(self, temp_c):
        """The board temperature in whole degC, e.g. at boot before the first 1 s step (3.3)."""
        self.temperature_c = temp_c

    def clear_shortage(self):
        """A fresh start after the Sma-Sol tap (3.6): LESS_6A, ChargeDelay and the stop timers."""
        self.error_flags &= ~LESS_6A
        self.charge_delay_s = 0
        self.reg.clear_stop_timers()
        return self._take_events()

    def set_power_unavailable(self):
        """Stop offering current (2.7): C -> C1, other states but A/C1/B1 -> B1."""
        self._power_unavailable()
        return self._take_events()

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
