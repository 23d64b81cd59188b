"""The error screens: four big rows per error, in priority order (settings-and-menu.md 3.3).

Pure. LESS_6A has no error screen (it shows in the status line, 3.5).
"""

from micropython import const

from smartevse.core.states import (BL_FLASH, CT_NOCOMM, EV_NOCOMM, RCM_TEST, RCM_TRIPPED,
                                   TEMP_HIGH, TEST_IO)

_METER_API = const(9)
_METER_HOMEWIZARD = const(13)

_ERROR_ROWS = (
    (EV_NOCOMM, ("CAN'T READ", "EV METER", "CHECK CFG", "OR WIRING")),
    (CT_NOCOMM, ("ERROR NO", "SERIAL COM", "CHECK CFG", "OR WIRING")),
    (TEMP_HIGH, ("HIGH TEMP", "ERROR", "CHARGING", "STOPPED")),
    (RCM_TRIPPED, ("RESIDUAL", "FAULT", "CURRENT", "DETECTED")),
    (TEST_IO, ("", "IO Test", "FAILED!", "")),
    (BL_FLASH, ("", "BOOTLOADER", "UPDATE ERR", "")),
)
_CT_API_ROWS = ("CAN'T READ", "MAINS METER", "CHECK CFG", "OR WIRING")
_RCM_PAGE_B = ("PRESS", "BUTTON", "TO", "RESET")


def error_rows(error_flags, mains_meter_type, page_b):
    """The 4 big rows of the error screen (3.3), or None when no error screen applies."""
    for flag, rows in _ERROR_ROWS:
        if not error_flags & flag:
            continue
        if flag == CT_NOCOMM and mains_meter_type in (_METER_API, _METER_HOMEWIZARD):
            return _CT_API_ROWS
        if flag == RCM_TRIPPED:
            if error_flags & RCM_TEST:
                continue                   # the RCM self-test shows no error screen
            return _RCM_PAGE_B if page_b else rows
        return rows
    return None
