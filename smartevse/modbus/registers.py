"""The controller register map a node answers (modbus.md 5)."""

# Decides what each register of the controller map reads and how a write to it is taken
# (modbus.md 5.1-5.3): the status block 0x0000..0x000B, the node block 0x0100..0x0109 and
# the system block 0x0200..0x0215. Settings writes are not applied here: they are collected
# in `node.changes` and go through app.apply_settings with SOURCE_MODBUS (MeterPoll.step),
# so each value passes the same range check as the menu. The master (share.py) sends the
# system block in this order too.

from smartevse.core.states import CONFIG_SOCKET

# 5.3 in register order; None = 0x0215, reserved (reads 0, writes refused)
SYS_KEYS = ("mode", "current_max_circuit", "grid", "sb2_wifi_mode", "current_main",
            "solar_start_current", "solar_stop_time", "solar_max_import", "mains_meter_type",
            "mains_meter_address", "emcustom_endianness", "emcustom_datatype",
            "emcustom_function", "emcustom_u_register", "emcustom_u_divisor",
            "emcustom_i_register", "emcustom_i_divisor", "emcustom_p_register",
            "emcustom_p_divisor", "emcustom_e_register", "emcustom_e_divisor", None)
# 5.2 in register order
NODE_KEYS = ("config", "lock", "current_min", "current_max", "loadbl", "switch", "rcmon",
             "rfid_reader", "ev_meter_type", "ev_meter_address")


def block_end(reg):
    """The end of the register block holding reg, or 0 when unmapped (5)."""
    if reg < 0x000C:
        return 0x000C
    if 0x0100 <= reg < 0x010A:
        return 0x010A
    if 0x0200 <= reg < 0x0200 + len(SYS_KEYS):
        return 0x0200 + len(SYS_KEYS)
    return 0


def _key(reg):
    """The setting behind a register of 5.2 / 5.3; None for status and reserved registers."""
    if reg >= 0x0200:
        return SYS_KEYS[reg - 0x0200]
    return NODE_KEYS[reg - 0x0100] if reg >= 0x0100 else None


def value(node, reg):
    """The register's value now (5.1-5.3)."""
    v = node.values
    if reg >= 0x0100:
        key = _key(reg)
        return 0 if key is None else v[key]
    app = node.app
    evse = app.evse
    if reg == 0:
        return evse.state
    if reg == 1:
        return evse.error_flags
    if reg == 2:
        return evse.balanced_da
    if reg == 3:
        return v["mode"]
    if reg == 4:
        return evse.solar_stop_timer_s
    if reg == 5:
        return evse.access
    if reg == 6:
        return node.config_changed
    if reg == 7:                          # A = min(cable capacity, MAX)
        max_a = v["current_max"]
        cable_a = evse.max_capacity_a
        if v["config"] == CONFIG_SOCKET and evse.ev_connected and 0 < cable_a < max_a:
            return cable_a
        return max_a
    if reg == 10:
        return evse.temperature_c
    if reg == 11:
        return app.serial_nr
    return 0                              # 8 phases, 9 measured current: not implemented (9)


def write(node, reg, value):
    """One register write: 0 taken, -1 a setting collected in node.changes, else the
    exception code (5)."""
    app = node.app
    evse = app.evse
    if reg >= 0x0100 or reg == 3 or reg == 5:
        key = "mode" if reg == 3 else "access" if reg == 5 else _key(reg)
        if key is None:
            return 3
        if node.changes is None:
            node.changes = {}
        node.changes[key] = value         # applied by MeterPoll.step, then node.applied()
        return -1
    if reg == 0:
        if value > 14:
            return 3
        app.events |= evse.grant(value)
    elif reg == 1:
        app.events |= evse.master_errors(value)
    elif reg == 2:
        evse.set_override_current(value)
    elif reg == 6:
        if value > 1:
            return 3
        node.config_changed = value
    else:
        return 2 if reg > 6 else 3        # read-only; 0x0004 solar timer not taken yet
    return 0
