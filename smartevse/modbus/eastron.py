"""An Eastron-type mains meter's extra reads: per-phase energy, Linky/TIC (modbus.md 8.6)."""

# Decides the extra requests to an Eastron-type mains meter (types 4, 5, 10) at t == 0 of
# the poll cycle, about every 120 s (modbus.md 3 steps 9 and 12-16; 8.6), and keeps what
# they return. Step 9 (3P and inverted only): FC4 0x015A x 6, the energy per phase in kWh.
# Steps 12-16 target TIC-to-Modbus gateways that emulate an Eastron: a real Eastron
# answers 342 (total energy), 30 and 62 (power factors) and refuses 500/600 with an
# exception, which is no data (1.3). The replies' data bytes are kept as they came (one
# preallocated buffer) and read on demand: `words` / `hundredths` per register, the status
# bits of register 600 for the HP/HC gate. Imported only with an Eastron-type mains meter.

from micropython import const

from smartevse.modbus import frame
from smartevse.modbus.values import DT_FLOAT32, ORDER_HBF_HWF, scaled

_PHASE_ENERGY_REG = const(0x015A)
_EASTRON_1P = const(10)
# steps 12-16 in order: (register, registers), and where each block sits in `raw`
_LINKY = ((342, 2), (500, 22), (600, 30), (30, 6), (62, 2))
_RAW_AT = (0, 4, 48, 108, 120)
_RAW_SIZE = const(124)
_STATUS_REG = const(600)


class EastronExtra:
    """What the extra reads of 8.6 returned."""

    def __init__(self, app):
        self.phase_import_wh = [0, 0, 0]  # step 9: L1..L3
        # the facts REST reads as app.linky (interfaces.md: linky_available, _is_hp, _is_hc)
        self.available = 0                # 1: the 342 read answered (the Linky "available" flag)
        self.is_hp = 0                    # register 600 bits 3 and 4: peak / off-peak hours
        self.is_hc = 0
        self._total_ok = False
        self.raw = bytearray(_RAW_SIZE)  # the Linky blocks' data bytes, big-endian
        if app is not None:
            app.linky = self              # REST's linky_available / _is_hp / _is_hc

    def request(self, poll, linky, sub):
        """Start the `sub`-th request of step 9 or 12-16 to `poll`'s mains meter; False: none."""
        v = poll.values
        if not linky:
            if sub or v["mains_meter_type"] == _EASTRON_1P:   # step 9: 3P and inverted only
                return False
            register = _PHASE_ENERGY_REG
            count = 6
        else:
            if sub == 0:
                self._total_ok = False
            elif sub == 1:
                self.available = 1 if self._total_ok else 0
                if not self._total_ok:
                    self.is_hp = self.is_hc = 0   # Linky data lost
            if sub >= len(_LINKY):
                return False
            register, count = _LINKY[sub]
        address = v["mains_meter_address"]
        bus = poll.bus
        n = frame.build_read(bus.tx, address, frame.FC_READ_INPUT, register, count)
        bus.start(n, address, frame.FC_READ_INPUT, 5 + 2 * count)    # 2 bytes a register (1.3)
        return True

    def decode(self, linky, sub, buf, at):
        """A reply's data at buf[at] for the request `sub` of step 9 or 12-16."""
        if not linky:
            out = self.phase_import_wh
            for phase in range(3):
                out[phase] = scaled(buf, at + 4 * phase, DT_FLOAT32, ORDER_HBF_HWF, -3)
            return
        if sub == 0:
            self._total_ok = True
        raw = self.raw
        start = _RAW_AT[sub]
        for i in range(2 * _LINKY[sub][1]):
            raw[start + i] = buf[at + i]
        if sub == 2:                     # register 600 came: the tariff bits
            status = buf[at + 1]
            self.is_hp = status >> 3 & 1
            self.is_hc = status >> 4 & 1

    def _at(self, reg):
        for i in range(len(_LINKY)):
            first, count = _LINKY[i]
            if first <= reg < first + count:
                return _RAW_AT[i] + 2 * (reg - first)
        raise ValueError("not a Linky register")

    def word(self, reg):
        """The 16-bit word of a Linky register (600 status, 624..629 date)."""
        at = self._at(reg)
        return self.raw[at] << 8 | self.raw[at + 1]

    def hundredths(self, reg):
        """The FLOAT32 at a Linky register times 100, truncated (kWh, kVA, W, V, A, PF)."""
        return scaled(self.raw, self._at(reg), DT_FLOAT32, ORDER_HBF_HWF, -2)

    def status(self):
        """Register 600: bit 3 HP, bit 4 HC, ... (8.6); 0 without Linky data."""
        return self.word(_STATUS_REG) if self.available else 0
