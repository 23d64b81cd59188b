"""The simulated plant: the EV, its cable, the mains, and the board's environment.

What the firmware senses is produced from this physical state by `sim/board.py`
(millivolts into the ADC parts, levels on inputs). The EV follows IEC 61851-1: it
closes S2 (6 V, "C") only while it wants to charge AND sees a valid PWM on a connected
pilot; without PWM it waits at 9 V (B), as a real car does.
"""

from sim.pn532 import SimPn532


# Control-pilot volts -> ADC millivolts of the v3 divider (charging.md 1.3, linear fit).
def cp_to_adc_mv(cp_mv):
    return 1690 + (124 * cp_mv) // 1000


_LEVEL_CP_MV = {"A": 12000, "B": 9000, "C": 6000, "D": 3000}
# Proximity resistor -> PP ADC mV (charging.md 7), by cable rating.
_PP_MV = {13: 2400, 20: 1300, 32: 600, 63: 300}


class Cable:
    """A socket cable with its proximity resistor (or none plugged)."""

    def __init__(self):
        self.rating_a = None          # None = no cable in the socket
        self.pp_mv_override = None

    def pp_mv(self):
        if self.pp_mv_override is not None:
            return self.pp_mv_override
        if self.rating_a is None:
            return 3100               # open: pulled up
        return _PP_MV[self.rating_a]


class Ev:
    """The car behind the control pilot."""

    def __init__(self):
        self.level = "A"              # A unplugged, B connected, C wants charge, D ventilation
        self.cp_mv_override = None    # raw CP level in mV, bypasses the EV model
        self.ripple_mv = 0            # +/- CP ripple seen within one ADC window
        self.has_diode = True
        self.phase_count = 3
        self.limit_da = 800
        self.draw_da = [0, 0, 0]
        self.response_ms = 0          # a new offer is followed after this delay (item 8)
        self._offers = []             # (due_ms, target_da): offers on their way, in order
        self._now_ms = 0
        self._last_target_da = 0

    def response_s(self, seconds):
        """Follow a new offer `seconds` after it appears (IEC 61851-1 allows a car 5 s);
        0 = at once. Stopping (pilot off, contactor open) is always at once."""
        ms = int(round(float(seconds) * 1000))
        if not 0 <= ms <= 60000:
            raise ValueError(f"EV response must be 0..60 s, got {seconds!r}")
        self.response_ms = ms

    def follow_da(self, target_da, dt_ms):
        """The current per phase the EV draws now: each offer `response_ms` after it appeared."""
        self._now_ms += dt_ms
        if target_da != self._last_target_da:
            self._last_target_da = target_da
            if target_da == 0:
                self._offers.clear()          # stopping is at once
            else:
                self._offers.append((self._now_ms + self.response_ms, target_da))
        draw = 0 if target_da == 0 else self.draw_da[0]
        while self._offers and self._offers[0][0] <= self._now_ms:
            draw = self._offers.pop(0)[1]
        return draw

    def pilot(self, level):
        """Set what the EV does: "A" (unplugged), "B", "C" (requests charge), "D"."""
        level = str(level).upper()
        if level not in _LEVEL_CP_MV:
            raise ValueError(f"EV pilot level must be one of A, B, C, D, got {level!r}")
        self.level = level
        self.cp_mv_override = None

    def pilot_mv(self, cp_mv):
        """Force the CP level the EV presents, in CP millivolts (e.g. 9000 = 9 V)."""
        cp_mv = int(cp_mv)
        if not -12000 <= cp_mv <= 12000:
            raise ValueError(f"EV pilot_mv must be -12000..12000, got {cp_mv}")
        self.cp_mv_override = cp_mv

    def noise_mv(self, ripple_cp_mv):
        """Add +/- ripple (CP mV) to the pilot level within each 10 ms ADC window."""
        ripple_cp_mv = int(ripple_cp_mv)
        if not 0 <= ripple_cp_mv <= 3000:
            raise ValueError(f"EV noise must be 0..3000 CP mV, got {ripple_cp_mv}")
        self.ripple_mv = ripple_cp_mv

    def diode(self, present):
        self.has_diode = bool(present)

    def phases(self, count):
        if count not in (1, 3):
            raise ValueError(f"EV phases must be 1 or 3, got {count!r}")
        self.phase_count = count

    def draw_limit_da(self, da):
        """Draw at most `da` deciamps per phase, whatever is offered."""
        da = int(da)
        if not 0 <= da <= 800:
            raise ValueError(f"EV draw limit must be 0..800 dA, got {da}")
        self.limit_da = da

    def s2_closed(self, pwm_on):
        return self.level == "C" and pwm_on

    def cp_high_mv(self, pwm_on):
        """The CP level the EV presents on the high half, in CP mV."""
        if self.cp_mv_override is not None:
            return self.cp_mv_override
        if self.level == "C" and not pwm_on:
            return 9000
        return _LEVEL_CP_MV[self.level]


VOLTS = 230                   # the meters' simulated phase voltage
_METER_STEP_MS = 100


class _Metered:
    """What a simulated meter reads: signed dA per phase, power and energy counters."""

    def __init__(self):
        self.is_online = True
        self.imported_mwh = 0         # energy counters in mWh (integer steps of 10 ms)
        self.exported_mwh = 0
        self.phase_imported_mwh = [0, 0, 0]

    def online(self, on):
        """False: the meter stops answering on the bus (a cut wire, no supply)."""
        self.is_online = bool(on)

    def current_da(self):
        return [0, 0, 0]

    def power_w(self):
        return sum(self.current_da()) * VOLTS / 10

    def import_wh(self):
        return self.imported_mwh // 1000

    def export_wh(self):
        return self.exported_mwh // 1000

    def phase_import_wh(self):
        return [mwh // 1000 for mwh in self.phase_imported_mwh]

    def step(self, dt_ms):
        mw = int(self.power_w() * 1000)
        if mw >= 0:
            self.imported_mwh += mw * dt_ms // 3600000
        else:
            self.exported_mwh += -mw * dt_ms // 3600000
        for i, da in enumerate(self.current_da()):
            if da > 0:
                self.phase_imported_mwh[i] += da * VOLTS * 100 * dt_ms // 3600000


class EvMeter(_Metered):
    """The EV meter: the EV's draw per phase plus any other load wired behind it on the
    same circuit (charging.md 4.2, 4.5 Baseload_EV)."""

    def __init__(self, ev):
        super().__init__()
        self._ev = ev
        self.other = [0, 0, 0]

    def other_load_da(self, l1, l2, l3):
        """Other loads behind the EV meter per phase, dA (the mains meter sees them too)."""
        self.other = [int(l1), int(l2), int(l3)]

    def current_da(self):
        draw = self._ev.draw_da
        return [draw[i] + self.other[i] for i in range(3)]


class Circuit(_Metered):
    """A sub-panel feeding the charger(s): its own loads plus the EVs behind it; its meter
    is the circuit meter (modbus.md 3 steps 10-11, charging.md 4.8). The mains sees it too."""

    def __init__(self, ev_meter):
        super().__init__()
        self.behind = [ev_meter]
        self.load = [0, 0, 0]

    def load_da(self, l1, l2, l3):
        """Other loads on the sub-panel per phase, dA (a heat pump, a dryer)."""
        self.load = [int(l1), int(l2), int(l3)]

    def current_da(self):
        out = list(self.load)
        for meter in self.behind:
            draw = meter.current_da()
            for i in range(3):
                out[i] += draw[i]
        return out


class Mains(_Metered):
    """The house connection: load and PV per phase; the meter sees house - PV + EV."""

    def __init__(self, ev_meter=None):
        super().__init__()
        self.behind = [] if ev_meter is None else [ev_meter]
        self.load = [0, 0, 0]
        self.pv = [0, 0, 0]
        self.battery = 0
        self.battery_reported = False     # True once a battery is set: reported every 10 s
        self.subpanels = []               # Circuit parts: their own loads are house load
        self.tic = None                   # a Linky TIC gateway behind an Eastron-type meter

    def current_da(self):
        battery = self.battery // 3            # a home battery charging is house load
        out = [self.load[i] - self.pv[i] + battery for i in range(3)]
        for panel in self.subpanels:
            for i in range(3):
                out[i] += panel.load[i]
        for meter in self.behind:           # every controller's EV meter on this connection
            draw = meter.current_da()
            for i in range(3):
                out[i] += draw[i]
        return out

    def battery_da(self, da):
        """A home battery's current in dA, + = charging (spread over the three phases); the
        simulation reports it to the controller every 10 s as an energy manager would."""
        da = int(da)
        if not -2000 <= da <= 2000:
            raise ValueError(f"home battery current must be -2000..2000 dA, got {da}")
        self.battery = da
        self.battery_reported = True

    def load_da(self, l1, l2, l3):
        self.load = [int(l1), int(l2), int(l3)]

    def tic_gateway(self, peak=False, contracted_kva=9.0):
        """The Eastron-type mains meter is a Linky TIC-to-Modbus gateway (modbus.md 8.6):
        tariff HP/HC (`peak`), contracted power; None-able with `tic = None`."""
        self.tic = {"peak": bool(peak), "contracted_kva": float(contracted_kva)}

    def pv_da(self, l1, l2, l3):
        self.pv = [int(l1), int(l2), int(l3)]


class LockActuator:
    """The socket's lock: follows the drive after 200 ms unless jammed."""

    TRAVEL_MS = 200

    def __init__(self):
        self.is_locked = False
        self.jammed = False
        self._drive = 0
        self._driven_ms = 0
        self._wanted = 0              # the last direction driven: 1 lock, -1 unlock

    def jam(self, jammed=True):
        self.jammed = bool(jammed)

    def drive(self, direction):
        if direction != self._drive:
            self._drive = direction
            self._driven_ms = 0
        if direction:
            self._wanted = direction

    def stuck(self):
        """True when jammed away from where the controller last drove it (e.g. still
        locked after unplugging: the cable cannot be taken out)."""
        return self.jammed and self._wanted != 0 and self.is_locked != (self._wanted > 0)

    def step(self, dt_ms):
        if self._drive == 0 or self.jammed:
            return
        self._driven_ms += dt_ms
        if self._driven_ms >= self.TRAVEL_MS:
            self.is_locked = self._drive > 0


BUTTON_NAMES = ("left", "ok", "right")        # keypad key numbers 0, 1, 2 (`<`, `O`, `>`)


class FrontButtons:
    """The three buttons on the box, as a person uses them (settings-and-menu.md 2.1)."""

    def __init__(self):
        self.down = [False, False, False]
        self._release_ms = [0, 0, 0]     # a press in progress: ms until it is released

    @staticmethod
    def _key(button):
        if button not in BUTTON_NAMES:
            raise ValueError(f"button must be left, ok or right, got {button!r}")
        return BUTTON_NAMES.index(button)

    def press(self, button, ms=200):
        """Press `button` for `ms` milliseconds (released by the plant, 20..600000 ms)."""
        key = self._key(button)
        if isinstance(ms, bool) or not isinstance(ms, int) or not 20 <= ms <= 600000:
            raise ValueError(f"press must last 20..600000 ms, got {ms!r}")
        self.down[key] = True
        self._release_ms[key] = ms

    def hold(self, button):
        """Press `button` and keep it down until `release(button)`."""
        key = self._key(button)
        self.down[key] = True
        self._release_ms[key] = 0

    def release(self, button):
        key = self._key(button)
        self.down[key] = False
        self._release_ms[key] = 0

    def step(self, dt_ms):
        for key in range(3):
            if self._release_ms[key]:
                self._release_ms[key] = max(0, self._release_ms[key] - dt_ms)
                self.down[key] = self._release_ms[key] > 0


class Plant:
    """Everything outside the controller, advanced in 10 ms steps."""

    def __init__(self):
        self.ev = Ev()
        self.ev_meter = EvMeter(self.ev)
        self.mains = Mains(self.ev_meter)
        self.circuit = Circuit(self.ev_meter)
        self.mains.subpanels.append(self.circuit)
        self._steps_mains = True
        self._meter_ms = 0
        self.lock = LockActuator()
        self.temperature_c = 25
        self.rcm_tripped = False
        self._rcm_glitch_reads = 0
        self.switch_closed = False
        self._switch_release_ms = 0   # a press in progress: ms until it is released
        self.socket = Cable()
        self.buttons = FrontButtons()
        self.rfid = SimPn532()        # the PN532 card reader on the board's RFID UART

    def share_mains(self, other):
        """This controller sits on `other`'s mains connection (power sharing): one meter."""
        self.mains = other.mains
        self.mains.behind.append(self.ev_meter)
        self.circuit = other.circuit          # the chargers share the sub-panel too
        self.circuit.behind.append(self.ev_meter)
        self._steps_mains = False

    # --- the Python API of simulator.md -------------------------------------------
    def cable(self, rating_a=None, pp_mv=None):
        """Plug a cable of `rating_a` (13, 20, 32, 63 A) into the socket; None = none."""
        if rating_a is not None and rating_a not in _PP_MV:
            raise ValueError(f"cable rating must be 13, 20, 32 or 63 A, got {rating_a!r}")
        self.socket.rating_a = rating_a
        self.socket.pp_mv_override = None if pp_mv is None else int(pp_mv)

    def temperature(self, c):
        self.temperature_c = int(c)

    def rcm(self, tripped=True):
        self.rcm_tripped = bool(tripped)

    def rcm_glitch(self):
        """A spike on the RCM fault line: the next read is high, the one after is not."""
        self._rcm_glitch_reads = 1

    def rcm_level(self):
        """The RCM fault input as the board reads it now (True = high)."""
        if self._rcm_glitch_reads:
            self._rcm_glitch_reads -= 1
            return True
        return self.rcm_tripped

    def switch(self, closed):
        self.switch_closed = bool(closed)
        self._switch_release_ms = 0

    def switch_press(self, ms=300):
        """A person presses the external switch (a push button) for `ms` milliseconds."""
        ms = int(ms)
        if not 20 <= ms <= 60000:
            raise ValueError(f"switch press must be 20..60000 ms, got {ms}")
        self.switch_closed = True
        self._switch_release_ms = ms

    # --- physics ------------------------------------------------------------------
    def step(self, dt_ms, board):
        self.lock.step(dt_ms)
        self.buttons.step(dt_ms)
        self.rfid.step(dt_ms)
        if self._switch_release_ms:
            self._switch_release_ms = max(0, self._switch_release_ms - dt_ms)
            self.switch_closed = self._switch_release_ms > 0
        ev = self.ev
        draw = ev.draw_da
        if board.contactor1.value and ev.s2_closed(board.pwm_on()):
            amps = ev.follow_da(min(board.offered_da(), ev.limit_da), dt_ms)
            draw[0] = amps
            three = ev.phase_count == 3 and board.contactor2.value
            draw[1] = amps if three else 0
            draw[2] = amps if three else 0
        else:
            ev.follow_da(0, dt_ms)
            if draw[0] or draw[1] or draw[2]:
                draw[0] = draw[1] = draw[2] = 0
        self._meter_ms += dt_ms
        if self._meter_ms >= _METER_STEP_MS:     # energy counted in 100 ms slices
            self.ev_meter.step(self._meter_ms)
            if self._steps_mains:
                self.mains.step(self._meter_ms)
                self.circuit.step(self._meter_ms)
            self._meter_ms = 0
