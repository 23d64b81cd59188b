"""Meters and the Sensorbox on the simulated bus: each answers real RTU read requests
with its registers encoded as the real device would (modbus.md 8.2-8.4), from values
the plant gives (dA per phase, W, Wh).

Encoding is written here from the spec's tables on its own (struct, floats: host only),
so the firmware's decoders are checked against an independent encoder.
"""

import struct

from smartevse.modbus import meter_rows as t   # its row layout, _-prefixed (device-private)
from smartevse.modbus.frame import append_crc, crc_ok
from smartevse.modbus.values import (DT_FLOAT32, DT_INT16, DT_INT32, DT_UINT16, DT_UINT32,
                                     DT_UINT64)

_PERMUTE = {0: (3, 2, 1, 0), 1: (1, 0, 3, 2), 2: (2, 3, 0, 1), 3: (0, 1, 2, 3)}


def encode(value, dtype, order, divisor):
    """The wire bytes of `value` (in the meter's unit times 10^divisor)."""
    scaled = value * 10 ** divisor
    if dtype == DT_FLOAT32:
        big = struct.pack(">f", scaled)
    elif dtype in (DT_INT16, DT_UINT16):
        word = struct.pack(">h" if dtype == DT_INT16 else ">H", round(scaled))
        return word if order >= 2 else word[::-1]
    elif dtype == DT_UINT64:
        raw = struct.pack(">Q", round(scaled))
        return encode_words(raw[:4], order) + encode_words(raw[4:], order)
    else:
        big = struct.pack(">i" if dtype == DT_INT32 else ">I", round(scaled))
    return encode_words(big, order)


def encode_words(big, order):
    """Big-endian 4 bytes (MSB first) -> wire bytes b0..b3 in the given order (8.1)."""
    wire = bytearray(4)
    for significance, wire_index in enumerate(_PERMUTE[order]):
        wire[wire_index] = big[significance]
    return bytes(wire)


class RegisterDevice:
    """A Modbus server over a register map rebuilt from live values on each request."""

    function = 4
    source = None

    def answering(self):
        return self.source.is_online

    def registers(self):
        """{register: 16-bit word} of what the device shows now."""
        return {}

    def answer(self, request, function):
        """The reply frame to a CRC-checked read request, or an exception, or None."""
        register = request[2] << 8 | request[3]
        count = request[4] << 8 | request[5]
        if function not in (3, 4):
            return self._exception(request, 1)
        if function != self.function:
            return self._exception(request, 2)
        words = self.registers()
        if any(register + i not in words for i in range(count)):
            return self._exception(request, 2)
        out = bytearray(5 + 2 * count)
        out[0], out[1], out[2] = request[0], function, 2 * count
        for i in range(count):
            out[3 + 2 * i] = words[register + i] >> 8
            out[4 + 2 * i] = words[register + i] & 0xFF
        append_crc(out, 3 + 2 * count)
        return bytes(out)

    @staticmethod
    def _exception(request, code):
        out = bytearray(5)
        out[0], out[1], out[2] = request[0], request[1] | 0x80, code
        append_crc(out, 3)
        return bytes(out)


def _put(words, register, data):
    for i in range(0, len(data), 2):
        words[register + i // 2] = data[i] << 8 | data[i + 1]


class SimMeter(RegisterDevice):
    """A kWh meter of one type of the table (8.2) over a reading source with
    `current_da()` (3 signed dA), `power_w()`, `import_wh()`, `export_wh()`; 230 V."""

    def __init__(self, meter_type, source, row=None):
        self.meter_type = meter_type
        self.row = row if row is not None else t.row(meter_type)
        self.function = self.row[t._FC]
        self.source = source

    def registers(self):
        row = self.row
        dtype, order = row[t._DT], row[t._ORDER]
        src = self.source
        currents_a = [da / 10 for da in src.current_da()]
        phase_w = [a * 230 for a in currents_a]
        inverted = row[t._KIND] == t._KIND_INVERTED
        words = {}
        step = 2 if dtype in (DT_INT16, DT_UINT16) else 4
        sf = -2 if row[t._KIND] == t._KIND_SOLAREDGE else None
        for phase in range(row[t._PHASES]):
            amps = currents_a[phase]
            shown = abs(amps)           # an RMS current has no sign; power gives it
            if sf is not None:
                data = encode(round(shown * 100), dtype, order, 0)
            else:
                data = encode(shown, dtype, order, row[t._I_DIV])
            _put(words, row[t._I_REG] + phase * step // 2, data)
            if row[t._SIGN_AT] >= 0:
                p = -phase_w[phase] if inverted else phase_w[phase]
                _put(words, row[t._I_REG] + row[t._SIGN_AT] + phase * step // 2,
                     encode(p, dtype, order, row[t._P_DIV]))
        count = row[t._I_COUNT]
        for reg in range(row[t._I_REG], row[t._I_REG] + count):
            words.setdefault(reg, 0)
        if sf is not None:
            words[row[t._I_REG] + 3] = sf & 0xFFFF
        total_w = src.power_w()
        self._power(words, row, -total_w if inverted else total_w, phase_w)
        imp, exp = src.import_wh() / 1000, src.export_wh() / 1000    # kWh
        if inverted:
            imp, exp = exp, imp
        e_div = row[t._E_DIV]
        _put(words, row[t._E_REG], encode(imp, row[t._E_DT], order, e_div))
        if row[t._EX_REG] >= 0:
            _put(words, row[t._EX_REG], encode(exp, row[t._E_DT], order, e_div))
        if self.meter_type in (4, 5, 10):          # an Eastron's own extra registers (8.6)
            self._eastron(words, imp * 1000, phase_w)
        if row[t._KIND] == t._KIND_ACREL_MAINS:
            for phase in range(3):
                _put(words, t._ACREL_POWER_BLOCK_REG + 2 * phase,
                     encode(round(phase_w[phase]), DT_INT32, 3, 0))
            _put(words, t._ACREL_POWER_BLOCK_REG + 6, encode(round(total_w), DT_INT32, 3, 0))
        return words

    def _eastron(self, words, import_wh, phase_w):
        src = self.source
        per_phase = getattr(src, "phase_import_wh", lambda: [0, 0, 0])()
        for phase in range(3):
            _put(words, 0x015A + 2 * phase, struct.pack(">f", per_phase[phase] / 1000))
            _put(words, 30 + 2 * phase, struct.pack(">f", 1.0 if phase_w[phase] >= 0 else -1.0))
        _put(words, 62, struct.pack(">f", 1.0))
        _put(words, 342, struct.pack(">f", import_wh / 1000))
        tic = getattr(src, "tic", None)
        if tic is None:
            return                         # a real Eastron refuses 500 and 600 (exception 02)
        for reg in range(500, 522):
            words[reg] = 0
        for reg in range(600, 630):
            words[reg] = 0
        words[600] = (1 << 3 if tic["peak"] else 1 << 4) | 1 << 6      # HP or HC, HP/HC tariff
        _put(words, 609, struct.pack(">f", tic["contracted_kva"]))
        for i, value in enumerate((2026, 11, 30, 14, 5, 0)):
            words[624 + i] = value

    @staticmethod
    def _power(words, row, total_w, phase_w):
        p_dt, order = row[t._P_DT], row[t._ORDER]
        if row[t._KIND] == t._KIND_SINOTIMER:
            for phase in range(3):
                _put(words, row[t._P_REG] + phase, encode(round(phase_w[phase]), p_dt, order, 0))
        elif row[t._KIND] == t._KIND_SOLAREDGE:
            _put(words, row[t._P_REG], encode(round(total_w / 10), p_dt, order, 0))
            for reg in range(row[t._P_REG] + 1, row[t._P_REG] + 4):
                words[reg] = 0
            words[row[t._P_REG] + 4] = 1                      # W_SF = 1: 10 W units
        else:
            value = abs(total_w) if p_dt == DT_UINT32 else total_w
            _put(words, row[t._P_REG], encode(value, p_dt, order, row[t._P_DIV]))


class SimSensorbox(RegisterDevice):
    """A Sensorbox v2 (8.4): CT currents, FLOAT32 big-endian A, 32 registers with the
    Wi-Fi state, time, IP, MAC and portal password; FC06 0x0800 (grid) and 0x0801 (Wi-Fi)."""

    function = 4

    def __init__(self, source, version=1, p1=False):
        self.source = source
        self.version = version
        self.p1 = p1
        self.v2 = True                # a v2 reports CT grid support (reg 0 low byte 0x14)
        self.grid_bits = 0            # 8.4 register 0x0800: bit 1 = 3-wire
        self.writes = []              # values written to 0x0800
        self.wifi_mode = 0            # 8.4 register 0x0801: 0 off, 1 on, 2 portal
        self.wifi_writes = []
        self.connected = False
        self.ip = (0, 0, 0, 0)
        self.mac = (0x12, 0x34, 0x56, 0x78)
        self.password = "abcd1234"
        self.time = (14, 5, 11, 30, 26, 1)   # hour, minute, month, day, year - 2000, weekday

    def join_wifi(self, ip=(192, 168, 1, 42)):
        """The installer finished the portal: the Sensorbox is on the network at `ip`."""
        self.connected = True
        self.ip = tuple(ip)

    def answer(self, request, function):
        register = request[2] << 8 | request[3]
        if function == 6 and register in (0x0800, 0x0801):
            value = request[4] << 8 | request[5]
            if register == 0x0800:
                self.grid_bits = value & 3
                self.writes.append(value)
            else:
                self.wifi_mode = value
                self.wifi_writes.append(value)
                if value == 0:
                    self.connected = False
            return bytes(request)     # FC06 answers with an echo
        return super().answer(request, function)

    def registers(self):
        words = {reg: 0 for reg in range(32 if self.version >= 1 else 20)}
        words[0] = self.version << 8 | (0x14 | self.grid_bits if self.v2 else 0)
        words[1] = 0x80 if self.p1 else 0x03
        base = 8 if self.p1 else 14
        for phase, da in enumerate(self.source.current_da()):
            _put(words, base + 2 * phase, struct.pack(">f", da / 10))
        if self.version >= 1:
            status = 1 | (2 if self.connected else 0) | (4 if self.wifi_mode == 2 else 0)
            words[0x14] = status << 8 | self.wifi_mode
            _put(words, 0x15, bytes(self.time))
            _put(words, 0x18, bytes(self.ip) + bytes(self.mac))
            _put(words, 0x1C, self.password.encode()[::-1])   # sent reversed (8.4)
        return words


def check_request(frame_bytes):
    """(address, function) of a CRC-checked 8-byte read request, else None."""
    if len(frame_bytes) != 8 or not crc_ok(frame_bytes, 0, 8):
        return None
    return frame_bytes[0], frame_bytes[1]
