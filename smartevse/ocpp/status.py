"""Decides the connector status and error code OCPP reports (interfaces.md 3.5)."""

from smartevse.core.states import CT_NOCOMM, EV_NOCOMM, RCM_TEST, RCM_TRIPPED, TEMP_HIGH

_SUSPENDED = ("Charging", "SuspendedEV", "SuspendedEVSE", "Finishing")


def error_code(flags):
    """(errorCode, info or None) of the error flags; NoError when none faults (3.5)."""
    if flags & TEMP_HIGH:
        return "HighTemperature", None
    if flags & RCM_TRIPPED and not flags & RCM_TEST:
        return "GroundFailure", None
    if flags & CT_NOCOMM:
        return "PowerMeterFailure", "Communication with mains meter lost"
    if flags & EV_NOCOMM:
        return "PowerMeterFailure", "Communication with EV meter lost"
    return "NoError", None


def connector_status(faulted, inoperative, tx, plugged, permitted, offered, ev_ready,
                     reserved, occupied, previous, start_pending):
    """The status of connector 1 by the library's rules, in their order (3.5)."""
    if faulted:
        return "Faulted"
    if inoperative:
        return "Unavailable"
    if tx:
        if not plugged:
            return "SuspendedEV"
        if not permitted or not offered:
            return "SuspendedEVSE"
        return "Charging" if ev_ready else "SuspendedEV"
    if reserved:
        return "Reserved"
    if not plugged and not occupied:
        return "Available"
    if previous in _SUSPENDED or start_pending:
        return "Finishing"
    return "Preparing"
