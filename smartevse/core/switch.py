"""External switch input: debounce, then what the SWITCH setting makes it do (charging.md 3.6).

Sampled every 10 ms (charging.md 0.1). A level change is accepted after more than 10
consecutive differing samples. Push-button types start "released" at boot; toggle-switch
types apply their current position once at boot and again after the SWITCH setting
changes (settings-and-menu.md 1.3). Accepted presses and releases act on the Evse through
its commands only (`set_access`, `set_mode`, `stop_charging`, `clear_rcm`,
`set_grid_relay`, `set_custom_button`, `clear_shortage`).
"""
from micropython import const

from smartevse.core.states import ACCESS_OFF, ACCESS_ON, MODE_SMART, MODE_SOLAR, STATE_C
from smartevse.core.states import (  # noqa: F401  (the SWITCH values, named once in states)
    SWITCH_ACCESS_B, SWITCH_ACCESS_S, SWITCH_CUSTOM_B, SWITCH_CUSTOM_S, SWITCH_DISABLED,
    SWITCH_GRID_RELAY, SWITCH_SMA_SOL_B, SWITCH_SMA_SOL_S,
)

# `SwitchInput.change` after a step: the app publishes MQTT CustomButton on either.
SW_PRESSED = const(0x01)
SW_RELEASED = const(0x02)

_RELEASED = const(0)
_PRESSED = const(1)
_UNKNOWN = const(2)           # position not known yet: the next stable reading applies

_STOP_DELAY_S = const(15)     # ChargeDelay after a stop by the switch (3.6)


class SwitchInput:
    """Debounced external switch and its SWITCH-setting action (charging.md 3.6)."""

    debounce_samples = 10     # a change is accepted on sample debounce_samples + 1
    hold_ticks = 150          # Sma-Sol B: a press of 1.5 s or more is a hold

    def __init__(self, settings):
        self._settings = settings
        self._function = settings.values["switch"]
        self._level = _UNKNOWN
        self._count = 0               # consecutive samples differing from _level
        self._held_ticks = 0          # 10 ms ticks since the press was accepted
        self._leaving_grid_relay = False
        self.pressed = False          # debounced position (True = pressed / closed)
        self.button_state = False     # the fork's MqttButtonState, published as CustomButton
        self.press_ms = 0             # duration of the last press (CustomButtonPressTime)
        self.change = 0               # SW_PRESSED / SW_RELEASED accepted in the last step, or 0
        self._events = 0              # Evse events collected during the step
        self.reconfigure()

    def reconfigure(self):
        """Re-read the input after a SWITCH change (settings-and-menu.md 1.3).

        Toggle-switch types take their current position as new (applied after the
        debounce); push-button types restart released, so a reboot or a change never
        toggles. Leaving Grid Relay clears the relay limit on the next step.
        """
        function = self._settings.values["switch"]
        if self._function == SWITCH_GRID_RELAY and function != SWITCH_GRID_RELAY:
            self._leaving_grid_relay = True
        self._function = function
        self._count = 0
        if _is_button(function):
            self._level = _RELEASED
            self.pressed = False
        else:
            self._level = _UNKNOWN

    def step_10ms(self, closed, evse, rcm_high=True):
        """Sample the input once; returns the Evse event bits its actions produced (0 if none).

        closed: True when the input is pulled low (pressed / closed). rcm_high: level of the
        RCM fault input, passed to `evse.clear_rcm` on a press (charging.md 3.4); the
        default True never lets a press clear a trip, so callers must pass the real level.
        An accepted press or release is reported in `change`.
        """
        self._events = 0
        self.change = 0
        if self._settings.values["switch"] != self._function:
            self.reconfigure()
        if self._leaving_grid_relay:
            self._leaving_grid_relay = False
            evse.set_grid_relay(False)
        if self.pressed and self._held_ticks < 0x7FFF:
            self._held_ticks += 1
        level = _PRESSED if closed else _RELEASED
        if level == self._level:
            self._count = 0
            if self.pressed and self._function == SWITCH_SMA_SOL_B:
                self._check_hold(evse)
            return self._events
        self._count += 1
        if self._count <= self.debounce_samples:
            return 0
        self._count = 0
        self._level = level
        self.pressed = level == _PRESSED
        if self.pressed:
            self._held_ticks = 0
            self.change = SW_PRESSED
            self._on_press(evse, rcm_high)
        else:
            self.press_ms = self._held_ticks * 10
            self.change = SW_RELEASED
            self._on_release(evse)
        return self._events

    def _check_hold(self, evse):
        """Sma-Sol B held 1.5 s while charging: stop (C -> C1, ChargeDelay 15)."""
        if self._held_ticks >= self.hold_ticks and evse.state == STATE_C:
            self._collect(evse.stop_charging(_STOP_DELAY_S))

    def _on_press(self, evse, rcm_high):
        """Press / close actions of the table in 3.6 (button_state as the fork's MQTT flag)."""
        function = self._function
        if function == SWITCH_ACCESS_B:
            self._access(evse, ACCESS_OFF if evse.access == ACCESS_ON else ACCESS_ON)
            self.button_state = not self.button_state
        elif function == SWITCH_CUSTOM_B:
            evse.set_custom_button(not evse.custom_button)
            self.button_state = evse.custom_button
        elif function == SWITCH_DISABLED or function > SWITCH_CUSTOM_S:
            # Disabled (and any unknown value): a press stops a running charge.
            if evse.state == STATE_C:
                self._collect(evse.stop_charging(_STOP_DELAY_S))
        else:
            self.button_state = True
            if function == SWITCH_ACCESS_S:
                self._access(evse, ACCESS_ON)
            elif function == SWITCH_SMA_SOL_S:
                if self._settings.values["mode"] == MODE_SOLAR and evse.access == ACCESS_ON:
                    evse.set_mode(MODE_SMART)
            elif function == SWITCH_GRID_RELAY:
                evse.set_grid_relay(False)
            elif function == SWITCH_CUSTOM_S:
                evse.set_custom_button(True)
            # Sma-Sol B acts on release or on a 1.5 s hold.
        # Every press/close clears a tripped RCM when the input allows it (3.4).
        self._collect(evse.clear_rcm(rcm_high))

    def _on_release(self, evse):
        """Release / open actions of the table in 3.6; Access B, Custom B, Disabled: none."""
        function = self._function
        if function < SWITCH_ACCESS_S or function == SWITCH_CUSTOM_B or function > SWITCH_CUSTOM_S:
            return
        self.button_state = False
        if function == SWITCH_ACCESS_S:
            self._access(evse, ACCESS_OFF)
        elif function == SWITCH_SMA_SOL_B:
            if self._held_ticks < self.hold_ticks and evse.access == ACCESS_ON:
                self._toggle_smart_solar(evse)
        elif function == SWITCH_SMA_SOL_S:
            if self._settings.values["mode"] == MODE_SMART and evse.access == ACCESS_ON:
                evse.set_mode(MODE_SOLAR)
        elif function == SWITCH_GRID_RELAY:
            evse.set_grid_relay(True)
        else:
            evse.set_custom_button(False)  # Custom S

    def _toggle_smart_solar(self, evse):
        """Short Sma-Sol B tap: Smart <-> Solar and a fresh start (3.6, fork-solar)."""
        mode = self._settings.values["mode"]
        if mode == MODE_SMART:
            evse.set_mode(MODE_SOLAR)
        elif mode == MODE_SOLAR:
            evse.set_mode(MODE_SMART)
        self._collect(evse.clear_shortage())

    def _access(self, evse, access):
        self._collect(evse.set_access(access))

    def _collect(self, events):
        """Keep Evse event bits (an int); other returns (None) carry none."""
        if events:
            self._events |= events


def _is_button(function):
    """Push-button types (1, 3, 6) start released; the others are toggle switches."""
    return (function == SWITCH_ACCESS_B or function == SWITCH_SMA_SOL_B
            or function == SWITCH_CUSTOM_B)
