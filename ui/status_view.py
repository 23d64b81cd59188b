"""The controller values the screens read, copied once per second (settings-and-menu.md 3.4, 3.5).

Pure: plain attributes with units in their names; `read(app)` is the one place that
knows where each value lives in the app.
"""

from smartevse.core.states import ACCESS_ON, MODE_NORMAL, RFID_REMOTE, STATE_A


class StatusView:
    """The controller values the screens read, as plain attributes (units in the names).

    `ScreenModel.update(app, ...)` fills one from the app; tests and other callers may
    fill it themselves and call `ScreenModel.compose(view, now_s)`.
    """

    def __init__(self):
        self.state_id = STATE_A
        self.error_flags = 0
        self.access = ACCESS_ON
        self.mode = MODE_NORMAL
        self.offered_da = 0              # current offered to this EVSE (Balanced[0])
        self.mains_limit_a = 25          # MAINS setting, per phase
        self.mains_meter_type = 0        # 0 = no mains meter
        self.mains_da = None             # mains phase currents (dA), None = unknown
        self.mains_power_w = None        # signed mains power, None = unknown
        self.ev_meter_type = 0           # 0 = no EV meter
        self.ev_da = None                # EV meter L1 current (dA)
        self.ev_phases_da = None         # EV meter currents L1-L3 (dA), the D9 page
        self.ev_power_w = 0
        self.session_wh = None           # session energy; None = no session since boot
        self.session_live = False
        self.charge_delay_s = 0
        self.phases = 3                  # phases in use
        self.phase_switch_to = 0         # 0 none, 1 or 3: a pending switch to 1P / 3P
        self.grid_relay_open = False
        self.solar_stop_timer_s = 0
        self.max_sum_mains_timer_s = 0
        self.lock_error = False
        self.rfid_reader = 0
        self.rfid_status_text = ""          # the reader's status (4.4 REST text)
        self.ocpp_status = None          # the OCPP connector status when OCPP decides access
        self.ocpp_plugged = False
        self.ocpp_notice = 0             # a pending OCPP transaction notification (3.5), 0 none
        self.start_s = 0                 # delayed start (local epoch s), 0 = none
        self.linky_text = ""             # "WAIT HC" / "LINKY OFFLINE" while the gate holds
        self.now_s = None                # local epoch s, None = clock not set

    def read(self, app):
        """Copy the values from the app (smartevse/app.py, once per second)."""
        evse = app.evse
        values = app.settings.values
        self.state_id = evse.state
        self.error_flags = evse.error_flags
        self.access = evse.access
        self.mode = values["mode"]
        self.offered_da = evse.node_balanced_da[0]          # Balanced[0]: this EVSE
        self.mains_limit_a = values["current_main"]
        self.mains_meter_type = values["mains_meter_type"]
        self.ev_meter_type = values["ev_meter_type"]
        self.rfid_reader = values["rfid_reader"]
        self.mains_da = evse.mains_irms_da if self.mains_meter_type else None
        # Meter power and the session are not in the foundation yet: unknown until then.
        self.mains_power_w = getattr(evse, "mains_power_w", None) if self.mains_meter_type else None
        self.ev_da = evse.ev_irms_da[0] if self.ev_meter_type else None
        self.ev_phases_da = evse.ev_irms_da if self.ev_meter_type else None
        self.ev_power_w = getattr(evse, "ev_power_w", 0)
        self.session_wh = getattr(app, "session_wh", None)
        self.session_live = getattr(app, "session_live", False)
        self.charge_delay_s = evse.charge_delay_s
        self.phases = evse.phases
        self.phase_switch_to = evse.phase_request
        self.grid_relay_open = evse.grid_relay_open
        self.solar_stop_timer_s = evse.solar_stop_timer_s
        self.max_sum_mains_timer_s = evse.max_sum_mains_timer_s
        self.lock_error = app.lock.error
        gate = getattr(app, "linky_gate", None)
        self.linky_text = gate.text(evse.access) if gate is not None else ""
        self.rfid_status_text = app.rfid_status_text
        ocpp = getattr(app, "ocpp", None)
        self.ocpp_status = None
        self.ocpp_notice = 0
        if ocpp is not None and (self.rfid_reader == 0 or self.rfid_reader == RFID_REMOTE):
            self.ocpp_status = ocpp.cp.current_status
            self.ocpp_plugged = ocpp.cp.inputs.plugged
            self.ocpp_notice = ocpp.cp.notice
        self.start_s = values["starttime"]
        self.now_s = app.now_epoch_s() if self.start_s else None

