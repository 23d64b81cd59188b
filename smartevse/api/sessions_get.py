"""GET /session/last and /sessions: the charge-session records (interfaces.md 1.14)."""

from smartevse.api.settings_post import _days_from_civil as days_from_civil
from smartevse.session_log import NO_CIRCUIT
from ui.when import day_of_month

_MODES = ("normal", "smart", "solar")


def iso_utc(epoch_s):
    """Epoch seconds -> "YYYY-MM-DDTHH:MM:SSZ"; None when the clock was unknown (0)."""
    if not epoch_s:
        return None
    days, rest = divmod(epoch_s, 86400)
    day, month = day_of_month(days)
    year = 1970 + days // 366            # then the year whose date this is
    while days_from_civil(year + 1, month, day) <= days:
        year += 1
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (year, month, day, rest // 3600,
                                                rest // 60 % 60, rest % 60)


def as_json(record):
    """One record as the fork writes it (1.14)."""
    session_id, start_s, end_s, start_wh, end_wh, max_da, phases, mode, circuit = record
    doc = {
        "session_id": session_id,
        "start": iso_utc(start_s),
        "end": iso_utc(end_s),
        "kwh": round((end_wh - start_wh) / 1000, 3),
        "start_energy_wh": start_wh,
        "end_energy_wh": end_wh,
        "max_current_a": max_da / 10,
        "phases": phases,
        "mode": _MODES[mode & 3] if mode & 3 < 3 else "normal",
        "ocpp_tx_id": session_id if mode & 0x80 else None,
    }
    if circuit != NO_CIRCUIT:
        doc["circuit_kwh"] = round(circuit / 1000, 3)
    return doc


def _log(app):
    return getattr(app, "sessions", None)


def get_last(app, params, body):
    """204 when no session ended since boot (1.14)."""
    log = _log(app)
    if log is None or log.last is None:
        return 204, None
    return 200, as_json(log.last)


def get_all(app, params, body):
    """The last 20 records, newest first."""
    log = _log(app)
    return 200, [as_json(record) for record in log.records()] if log is not None else []
