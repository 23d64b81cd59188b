"""Decides what the central system installs: charging profiles (Set/ClearChargingProfile,
GetCompositeSchedule, interfaces.md 3.8) and the local list (SendLocalList, 3.6, 3.9)."""
# Imported only while such a message is answered, then dropped (smartevse/ocpp/
# chargepoint.py `received`): this code costs no device heap between messages. The
# records themselves stay: smartevse/ocpp/records.py.

from smartevse.ocpp.records import MAX_ENTRIES, STATUSES, start_of

PURPOSES = ("ChargePointMaxProfile", "TxDefaultProfile", "TxProfile")
_KINDS = ("Absolute", "Recurring", "Relative")
MAX_PROFILES = 10
MAX_PERIODS = 24
MAX_STACK = 8


def set_profile(profiles, payload, tx_id, epoch_of):
    """SetChargingProfile: "Accepted", "Rejected" or None for a malformed payload."""
    connector = payload.get("connectorId")
    cs = payload.get("csChargingProfiles")
    if not isinstance(connector, int) or not isinstance(cs, dict):
        return None
    sched = cs.get("chargingSchedule")
    pid, stack = cs.get("chargingProfileId"), cs.get("stackLevel")
    if not isinstance(sched, dict) or not isinstance(pid, int) or not isinstance(stack, int) \
            or cs.get("chargingProfilePurpose") not in PURPOSES \
            or cs.get("chargingProfileKind") not in _KINDS:
        return None
    periods = sched.get("chargingSchedulePeriod")
    if not isinstance(periods, list) or not periods:
        return None
    purpose = PURPOSES.index(cs["chargingProfilePurpose"])
    kind = _KINDS.index(cs["chargingProfileKind"])
    if sched.get("chargingRateUnit") != "A" or len(periods) > MAX_PERIODS \
            or not 0 <= stack <= MAX_STACK or connector not in (0, 1) \
            or (purpose == 0 and connector != 0):
        return "Rejected"
    tx = cs.get("transactionId", -1)
    if purpose == 2 and (tx_id < 0 or connector != 1 or (tx != -1 and tx != tx_id)):
        return "Rejected"                 # a TxProfile needs the running transaction
    try:
        steps = tuple((int(s["startPeriod"]), int(float(s["limit"]) * 10)) for s in periods)
    except (KeyError, TypeError, ValueError):
        return None
    start = epoch_of(sched["startSchedule"]) if "startSchedule" in sched else None
    if start is None and kind != 2:
        start = -1 if kind == 1 else epoch_of(cs.get("validFrom") or "") or 0
    duration = sched.get("duration", -1)
    recurrence = 604800 if cs.get("recurrencyKind") == "Weekly" else 86400
    valid_from = epoch_of(cs.get("validFrom") or "") or 0
    valid_to = epoch_of(cs.get("validTo") or "") or 0
    profile = (pid, stack, purpose, tx_id if purpose == 2 else -1, kind,
               -1 if start is None else start, recurrence,
               duration if isinstance(duration, int) else -1, valid_from, valid_to, steps)
    kept = [p for p in profiles.installed
            if p[0] != pid and not (p[1] == stack and p[2] == purpose)]
    if len(kept) >= MAX_PROFILES:
        return "Rejected"
    kept.append(profile)
    profiles.installed = kept
    return "Accepted"

def clear_profiles(profiles, payload):
    """ClearChargingProfile: "Accepted" when at least one profile went, else "Unknown"."""
    pid = payload.get("id")
    purpose = payload.get("chargingProfilePurpose")
    stack = payload.get("stackLevel")
    kept = []
    for p in profiles.installed:
        if pid is not None:
            match = p[0] == pid
        else:
            match = (purpose is None or PURPOSES[p[2]] == purpose) and \
                    (stack is None or p[1] == stack)
        if not match:
            kept.append(p)
    status = "Accepted" if len(kept) < len(profiles.installed) else "Unknown"
    profiles.installed = kept
    return status

def composite(profiles, now_s, duration_s, tx_id, tx_start):
    """GetCompositeSchedule: [(offset s, limit dA)] over the next `duration_s`."""
    times = {now_s}
    for p in profiles.installed:
        for t in (p[8], p[9]):
            if now_s < t < now_s + duration_s:
                times.add(t)
        day = now_s
        while day < now_s + duration_s:
            start = start_of(p, day, tx_start)
            if start is not None:
                for offset, _ in p[10]:
                    times.add(start + offset)
                if p[7] >= 0:
                    times.add(start + p[7])
            day += p[6] if p[4] == 1 else duration_s
    out = []
    for t in sorted(times):
        if now_s <= t < now_s + duration_s:
            limit = profiles.limit_da(t, tx_id, tx_start)
            if not out or out[-1][1] != limit:
                out.append((t - now_s, limit))
    return out


def send_list(local, payload, epoch_of):
    """SendLocalList: the status text; the list changes only when it is Accepted."""
    version = payload.get("listVersion")
    kind = payload.get("updateType")
    entries = payload.get("localAuthorizationList") or []
    if not isinstance(version, int) or kind not in ("Full", "Differential") \
            or not isinstance(entries, list):
        return None                          # FormationViolation
    if kind == "Differential" and version <= local.version:
        return "VersionMismatch"
    tags = {} if kind == "Full" else dict(local.tags)
    for entry in entries:
        tag = entry.get("idTag") if isinstance(entry, dict) else None
        if not isinstance(tag, str) or not 0 < len(tag) <= 20:
            return None
        info = entry.get("idTagInfo")
        if info is None:
            tags.pop(tag, None)
            continue
        status = info.get("status") if isinstance(info, dict) else None
        if status not in STATUSES:
            return None
        expiry = info.get("expiryDate")
        tags[tag] = (STATUSES.index(status), (epoch_of(expiry) or 0) if expiry else 0)
    if len(tags) > MAX_ENTRIES:
        return "Failed"
    local.version, local.tags = version, tags
    return "Accepted"
