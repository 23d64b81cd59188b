"""The Sensorbox's reply, its extended registers and the writes it is due (modbus.md 8.4)."""

# Decides what a Sensorbox reply says and what it must be told (modbus.md 8.4): mains
# currents in dA from its P1 meter or its CTs, its software version (the next read's
# size), and with a v2 (version 1 or 3, 32 registers) the extended registers: Wi-Fi
# state and mode, time, IP, MAC, portal password. Imported only while MAINS MET is the
# Sensorbox. Allocation-free after the first reply: the menu's facts (settings/facts.py
# `visible`: GRID needs "sb_cts", SB2 WIFI "sb2_version" 1 or 3) are keys of one dict
# updated in place, the byte fields are preallocated bytearrays.

from micropython import const

from smartevse.modbus.frame import build_read, build_write_single
from smartevse.modbus.values import scaled, tdiv

_P1 = const(0x80)                   # reg 1 low byte: P1 data present
_P1_AT = const(8)                   # P1 currents L1..L3 (A)
_CT_AT = const(14)                  # CT currents L1..L3 (A, signed)
_DOUBLE_ABOVE_A = const(100)        # MAINS > 100 A: 200 A : 50 mA CTs assumed
_GRID_SUPPORT = const(0x10)         # reg 0 low byte >= 0x10: CT grid support (v2)
_EXTENDED = const(32)               # registers with the v2 block
_WIFI_AT = const(0x14)              # high byte: bit 0 time set, 1 connected, 2 portal
_INFO_AT = const(0x15)              # time (hour/minute, month/day, year/weekday), IP, MAC
_PASSWORD_AT = const(0x1C)          # 8 characters, sent in reverse order
_ADDRESS = const(0x0A)
_GRID_REG = const(0x0800)
_WIFI_REG = const(0x0801)
_PORTAL = const(2)                   # SB2 WIFI: 0 off, 1 on, 2 start the portal
_ON = const(1)
_FC_READ_INPUT = const(4)            # frame.py's, values.py's (tests check they match)
_FC_WRITE_SINGLE = const(6)
_DT_FLOAT32 = const(1)
_ORDER_HBF_HWF = const(3)


class Sensorbox:
    """What the Sensorbox last reported, and the writes it is due (8.4)."""

    def __init__(self, live):
        self.version = 0                # reg 0 high byte
        self.status = 0                 # reg 0 low byte: >= 0x10 grid support, bits 1..0 wiring
        self.flags = 0                  # reg 1 low byte: 0x80 P1, 0x03 CTs
        self.wifi = 0                   # reg 0x14 high byte
        self.wifi_mode = -1             # reg 0x14 low byte, -1 before an extended read
        # hour, minute, month, day, year - 2000, weekday, IP (4), MAC (4 low bytes)
        self.info = info = bytearray(14)
        self.ip = memoryview(info)[6:10]
        self.password = bytearray(8)    # in reading order
        self.grid_write = -1            # 0x0800 value due, or -1
        self.wifi_write = -1            # 0x0801 value due, or -1
        self.adopt_wifi = -1            # SB2 WIFI value the settings take, or -1
        self._synced = False            # the first extended read adopts its Wi-Fi mode
        live["sb_cts"] = False
        live["sb2_version"] = 0
        live["sb2_connected"] = False
        live["sb2_mode"] = -1
        live["sb2_ip"] = self.ip
        live["sb2_password"] = self.password
        self.live = live

    def read(self, bus):
        """Start the read of its registers: 20, or 32 from software version 1 on."""
        count = _EXTENDED if self.version >= 1 else 20   # learned from the last reply
        n = build_read(bus.tx, _ADDRESS, _FC_READ_INPUT, 0, count)
        bus.start(n, _ADDRESS, _FC_READ_INPUT, 5 + 2 * count)     # frame.reply_len of a read
        return True

    def write(self, bus):
        """Start the FC06 write due (0x0800 grid first, then 0x0801 Wi-Fi); False: none."""
        # each write is due once; the next reply says again if it did not take
        value = self.grid_write
        register = _GRID_REG
        self.grid_write = -1
        if value < 0:
            value = self.wifi_write
            register = _WIFI_REG
            self.wifi_write = -1
            if value < 0:
                return False
        n = build_write_single(bus.tx, _ADDRESS, _FC_WRITE_SINGLE, register, value)
        bus.start(n, _ADDRESS, _FC_WRITE_SINGLE, n)
        return True

    def decode(self, buf, at, count, current_da, v):
        """A reply of `count` registers at buf[at] -> current_da (dA); False: no new data."""
        version = buf[at]
        self.version = version
        flags = buf[at + 3]
        if flags == 0:
            return False                # no new data: the mains timeout is not reloaded
        status = buf[at + 1]
        self.status = status
        self.flags = flags
        live = self.live
        live["sb2_version"] = version
        reg = _P1_AT if flags & _P1 else _CT_AT
        # GRID is told to a v2 measuring with CTs when its wiring bits differ (0x0800)
        cts = status >= _GRID_SUPPORT and reg == _CT_AT
        live["sb_cts"] = cts
        grid = v["grid"] << 1
        self.grid_write = grid if cts and status & 3 != grid else -1
        double = reg == _CT_AT and v["current_main"] > _DOUBLE_ABOVE_A
        for phase in range(3):
            ma = scaled(buf, at + 2 * reg + 4 * phase, _DT_FLOAT32, _ORDER_HBF_HWF, -3)
            if double:
                ma *= 2
            current_da[phase] = tdiv(ma, 100)
        if count != _EXTENDED or (version != 1 and version != 3):
            return True
        # the v2 registers 0x14..0x1F, and the SB2 WIFI sync of 8.4
        wifi = buf[at + 2 * _WIFI_AT]
        mode = buf[at + 2 * _WIFI_AT + 1]
        self.wifi = wifi
        self.wifi_mode = mode
        live["sb2_connected"] = wifi & 2 != 0
        live["sb2_mode"] = mode          # the Sensorbox's own: "one moment please" until equal
        info = self.info
        for i in range(14):
            info[i] = buf[at + 2 * _INFO_AT + i]
        password = self.password
        for i in range(8):              # SmartEVSE reverses the byte order (8.4)
            password[7 - i] = buf[at + 2 * _PASSWORD_AT + i]
        setting = v["sb2_wifi_mode"]
        if not self._synced:            # the first read adopts the Sensorbox's mode
            self._synced = True
            setting = mode
        elif setting == _PORTAL and wifi & 2:
            setting = _ON               # the portal did its job: back to on
        self.adopt_wifi = setting
        self.wifi_write = setting if setting != mode else -1
        return True
