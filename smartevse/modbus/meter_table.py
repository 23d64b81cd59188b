"""Decides how each supported meter is read (modbus.md 8.2, 8.3, 8.5)."""

# Decides how each supported meter is read: function, data type, byte/word order,
# registers and decimal divisors (modbus.md 8.2, 8.3; the custom meter 8.5).
#
# One row per meter type id (the setting value; ids never move). A row is a tuple read
# through the index constants below, so a poll reads it without building anything; the
# custom meter's row is rebuilt from its settings when they change.

from micropython import const

from smartevse.modbus.frame import FC_READ_HOLDING as _FC3, FC_READ_INPUT as _FC4
from smartevse.modbus.values import (DT_FLOAT32 as _F, DT_INT16 as _I16, DT_INT32 as _I32,
                                     DT_UINT32 as _U32, DT_UINT64 as _U64, register_count)

_FC = const(0)            # read function (3 or 4)
_DT = const(1)            # data type of the current (and sign power) values
_ORDER = const(2)         # byte/word order code (8.1)
_I_REG = const(3)         # L1 current register; L2/L3 follow (8.1)
_I_DIV = const(4)         # current divisor d
_I_COUNT = const(5)       # registers of the current request (8.3)
_SIGN_AT = const(6)       # registers from _I_REG to the P1 power that signs the currents, or -1
_P_REG = const(7)         # total power register
_P_DIV = const(8)
_P_DT = const(9)
_P_COUNT = const(10)      # registers of the power request
_E_REG = const(11)        # import energy register
_E_DIV = const(12)
_E_DT = const(13)
_EX_REG = const(14)       # export energy register, -1 = none (no export request)
_PHASES = const(15)       # 3, or 1: reported as L1, L2 = L3 = 0
_KIND = const(16)         # special decoding, below
_POWER_IN_CURRENTS = const(17)   # EV power comes with the current read (3 step 4)

_KIND_PLAIN = const(0)
_KIND_INVERTED = const(1)      # Eastron mounted reversed: powers negated, energies swapped
_KIND_SOLAREDGE = const(2)     # SunSpec scale factors after the values
_KIND_SINOTIMER = const(3)     # power = sum of three INT16 phase powers
_KIND_ACREL_EV = const(4)      # current signed by the last measured power
_KIND_ACREL_MAINS = const(5)   # currents signed by the per-phase power block (FC3 356 x 8)

_ACREL_POWER_BLOCK_REG = const(356)
_ACREL_POWER_BLOCK_COUNT = const(8)

_NONE = const(-1)

_FIELDS = const(18)


def _packed(rows):
    """(ids, data): the rows packed, 16 bits a field, big-endian, in the order of ids."""
    # Packed once at import: 2 bytes a field instead of a tuple of 18 objects a row, and
    # the literal below is garbage once packed (650 B instead of about 1.9 KB of heap).
    ids = bytearray(len(rows))
    data = bytearray(2 * _FIELDS * len(rows))
    at = 0
    k = 0
    for meter_type in sorted(rows):
        ids[k] = meter_type
        k += 1
        for value in rows[meter_type]:
            value &= 0xFFFF
            data[at] = value >> 8
            data[at + 1] = value & 0xFF
            at += 2
    return bytes(ids), bytes(data)


# id: (_FC, _DT, _ORDER, _I_REG, _I_DIV, _I_COUNT, _SIGN_AT, _P_REG, _P_DIV, _P_DT, _P_COUNT,
#      _E_REG, _E_DIV, _E_DT, _EX_REG, _PHASES, _KIND, _POWER_IN_CURRENTS)
_IDS, _DATA = _packed({
    2: (_FC4, _I32, 2, 0x000C, 3, 6, _NONE, 0x0028, 1, _I32, 2, 0x003E, 1, _I32, _NONE, 3, 0, 0),
    3: (_FC4, _F, 3, 0x100E, 0, 6, _NONE, 0x1026, 0, _F, 2, 0x1106, 3, _F, 0x110E, 3, 0, 0),
    4: (_FC4, _F, 3, 0x0006, 0, 12, 6, 0x0034, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3, 0, 1),
    5: (_FC4, _F, 3, 0x0006, 0, 12, 6, 0x0034, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3,
        _KIND_INVERTED, 1),
    6: (_FC3, _I32, 3, 0x5B0C, 2, 16, 10, 0x5B14, 2, _I32, 2, 0x5000, 2, _U64, 0x5004, 3, 0, 1),
    7: (_FC3, _I16, 3, 40191, 0, 4, _NONE, 40206, 0, _I16, 5, 40234, 3, _I32, 40226, 3,
        _KIND_SOLAREDGE, 0),
    8: (_FC3, _F, 3, 0x500C, 0, 6, _NONE, 0x5012, -3, _F, 2, 0x600C, 0, _F, 0x6018, 3, 0, 0),
    10: (_FC4, _F, 3, 0x0006, 0, 12, 6, 0x000C, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3, 0, 1),
    11: (_FC4, _F, 3, 2516, 0, 20, 14, 2536, 0, _F, 2, 2752, 3, _U32, 2756, 3, 0, 1),
    12: (_FC4, _I16, 3, 0x0003, 2, 3, _NONE, 0x0008, 0, _I16, 3, 0x0027, 2, _I32, 0x0031, 3,
         _KIND_SINOTIMER, 0),
    14: (_FC3, _F, 3, 0x0BB7, 0, 60, 54, 0x0BF3, -3, _F, 2, 0xB02B, 0, _F, 0xB02D, 3, 0, 1),
    15: (_FC3, _F, 3, 0x200C, 3, 14, 8, 0x2012, 1, _F, 2, 0x101E, 0, _F, 0x1028, 3, 0, 0),
    16: (_FC4, _I32, 2, 0x000C, 3, 6, _NONE, 0x0028, 1, _I32, 2, 0x0034, 1, _I32, 0x004E, 3, 0, 0),
    17: (_FC3, _F, 3, 0x0016, 0, 6, _NONE, 0x001C, -3, _F, 2, 0x0108, 0, _F, 0x0110, 3, 0, 0),
    18: (_FC3, _U32, 3, 0x0139, 3, 2, _NONE, 0x0140, 0, _U32, 2, 0xA000, 2, _U32, _NONE, 1, 0, 0),
    20: (_FC3, _I16, 3, 0x0065, 2, 1, _NONE, 0x0166, 0, _I32, 2, 0x0089, 2, _I32, _NONE, 1,
         _KIND_ACREL_EV, 0),
    21: (_FC3, _I16, 3, 0x0064, 2, 3, _NONE, 0x016A, 0, _I32, 2, 0x0000, 2, _I32, _NONE, 3,
         _KIND_ACREL_MAINS, 0),
})


def row(meter_type):
    """The row of a polled meter type, or None (Disabled, Sensorbox, API, HomeWizard, Custom)."""
    # A new tuple each call: the device's callers keep the one of their meter type.
    ids = _IDS
    for k in range(len(ids)):
        if ids[k] == meter_type:
            data = _DATA
            at = 2 * _FIELDS * k
            out = [0] * _FIELDS
            for f in range(_FIELDS):
                value = data[at] << 8 | data[at + 1]
                out[f] = value - 0x10000 if value >= 0xFF00 else value   # -256..-1 (-1 = none)
                at += 2
            return tuple(out)
    return None


def custom_row(v):
    """The custom meter's row from its settings (8.5)."""
    # currents at the standard offsets, no sign correction, no export register
    dtype = v["emcustom_datatype"]
    regs = register_count(dtype)
    return (v["emcustom_function"], dtype, v["emcustom_endianness"],
            v["emcustom_i_register"], v["emcustom_i_divisor"], 3 * regs, _NONE,
            v["emcustom_p_register"], v["emcustom_p_divisor"], dtype, regs,
            v["emcustom_e_register"], v["emcustom_e_divisor"], dtype, _NONE, 3, _KIND_PLAIN, 0)


def energy_count(meter_row):
    """Registers of an energy request (a 64-bit ABB counter takes 4)."""
    return register_count(meter_row[_E_DT])
