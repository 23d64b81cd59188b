"""The meter table of modbus.md 8.2: one row of register facts per meter type."""

# Decides how each supported meter is read (modbus.md 8.2, 8.3; the custom meter's row from
# its settings, 8.5): the row layout is meter_rows.py's (its `_FC` .. `_POWER_IN_CURRENTS`
# indexes). Imported only by `meter_rows.row`, which drops it again once the row is built:
# the table and its code go back to the heap, the callers keep the rows they use (at most
# the mains, EV and circuit meters'), so an EV meter costs its row, not the table.

from micropython import const

from smartevse.modbus.values import register_count

_NONE = const(-1)
_METER_CUSTOM = const(19)                # core/states.py METER_CUSTOM (8.5)
# meter_rows' kinds, values.py's data types (tests check they match)
_KIND_PLAIN = const(0)
_KIND_INVERTED = const(1)
_KIND_SOLAREDGE = const(2)
_KIND_SINOTIMER = const(3)
_KIND_ACREL_EV = const(4)
_KIND_ACREL_MAINS = const(5)
_DT_INT32 = const(0)
_DT_FLOAT32 = const(1)
_DT_INT16 = const(2)
_DT_UINT32 = const(4)
_DT_UINT64 = const(5)
_F = const(_DT_FLOAT32)                  # short names for the table's lines
_I16 = const(_DT_INT16)
_I32 = const(_DT_INT32)
_U32 = const(_DT_UINT32)

# id: (_FC, _DT, _ORDER, _I_REG, _I_DIV, _I_COUNT, _SIGN_AT, _P_REG, _P_DIV, _P_DT, _P_COUNT,
#      _E_REG, _E_DIV, _E_DT, _EX_REG, _PHASES, _KIND, _POWER_IN_CURRENTS)
_ROWS = {
    2: (4, _I32, 2, 0x000C, 3, 6, _NONE, 0x0028, 1, _I32, 2, 0x003E, 1, _I32, _NONE, 3, 0, 0),
    3: (4, _F, 3, 0x100E, 0, 6, _NONE, 0x1026, 0, _F, 2, 0x1106, 3, _F, 0x110E, 3, 0, 0),
    4: (4, _F, 3, 0x0006, 0, 12, 6, 0x0034, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3, 0, 1),
    5: (4, _F, 3, 0x0006, 0, 12, 6, 0x0034, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3,
        _KIND_INVERTED, 1),
    6: (3, _I32, 3, 0x5B0C, 2, 16, 10, 0x5B14, 2, _I32, 2, 0x5000, 2, _DT_UINT64, 0x5004, 3, 0,
        1),
    7: (3, _I16, 3, 40191, 0, 4, _NONE, 40206, 0, _I16, 5, 40234, 3, _I32, 40226, 3,
        _KIND_SOLAREDGE, 0),
    8: (3, _F, 3, 0x500C, 0, 6, _NONE, 0x5012, -3, _F, 2, 0x600C, 0, _F, 0x6018, 3, 0, 0),
    10: (4, _F, 3, 0x0006, 0, 12, 6, 0x000C, 0, _F, 2, 0x0048, 0, _F, 0x004A, 3, 0, 1),
    11: (4, _F, 3, 2516, 0, 20, 14, 2536, 0, _F, 2, 2752, 3, _U32, 2756, 3, 0, 1),
    12: (4, _I16, 3, 0x0003, 2, 3, _NONE, 0x0008, 0, _I16, 3, 0x0027, 2, _I32, 0x0031, 3,
         _KIND_SINOTIMER, 0),
    14: (3, _F, 3, 0x0BB7, 0, 60, 54, 0x0BF3, -3, _F, 2, 0xB02B, 0, _F, 0xB02D, 3, 0, 1),
    15: (3, _F, 3, 0x200C, 3, 14, 8, 0x2012, 1, _F, 2, 0x101E, 0, _F, 0x1028, 3, 0, 0),
    16: (4, _I32, 2, 0x000C, 3, 6, _NONE, 0x0028, 1, _I32, 2, 0x0034, 1, _I32, 0x004E, 3, 0, 0),
    17: (3, _F, 3, 0x0016, 0, 6, _NONE, 0x001C, -3, _F, 2, 0x0108, 0, _F, 0x0110, 3, 0, 0),
    18: (3, _U32, 3, 0x0139, 3, 2, _NONE, 0x0140, 0, _U32, 2, 0xA000, 2, _U32, _NONE, 1, 0, 0),
    20: (3, _I16, 3, 0x0065, 2, 1, _NONE, 0x0166, 0, _I32, 2, 0x0089, 2, _I32, _NONE, 1,
         _KIND_ACREL_EV, 0),
    21: (3, _I16, 3, 0x0064, 2, 3, _NONE, 0x016A, 0, _I32, 2, 0x0000, 2, _I32, _NONE, 3,
         _KIND_ACREL_MAINS, 0),
}


def row(meter_type, v=None):
    """The row of a meter type (the custom meter's from the settings `v`, 8.5), or None
    (Disabled, Sensorbox, API, HomeWizard)."""
    if meter_type == _METER_CUSTOM:   # currents at the standard offsets, no sign, no export
        dtype = v["emcustom_datatype"]
        regs = register_count(dtype)
        return (v["emcustom_function"], dtype, v["emcustom_endianness"],
                v["emcustom_i_register"], v["emcustom_i_divisor"], 3 * regs, _NONE,
                v["emcustom_p_register"], v["emcustom_p_divisor"], dtype, regs,
                v["emcustom_e_register"], v["emcustom_e_divisor"], dtype, _NONE, 3,
                _KIND_PLAIN, 0)
    return _ROWS.get(meter_type)
