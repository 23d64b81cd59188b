"""Decides what the central system installs: charging profiles (Set/ClearChargingProfile,
GetCompositeSchedule, interfaces.md 3.8) and the local list (SendLocalList, 3.6, 3.9)."""
# Imported only while such a message is answered, then dropped (smartevse/ocpp/
# chargepoint.py `received`): this code costs no device heap between messages. The
# records themselves stay: smartevse/ocpp/records.py.

from smartevse.ocpp.records import MAX_ENTRIES, STATUSES, start_of

from micropython import const

# the purposes and kinds by number (long texts: not interned on the device)
PURPOSES = "ChargePointMaxProfile TxDefaultProfile TxProfile"
_KINDS = "Absolute Recurring Relative"
_MAX_PROFILES = const(10)
_MAX_PERIODS = const(24)
_MAX_STACK = const(8)


def set_profile(profiles, payload, tx_id, epoch):
    """SetChargingProfile: "Accepted", "Rejected" or None for a malformed payload; `epoch`
    reads an ISO-8601 time (rpc.epoch)."""
    # `p` is the profile (csChargingProfiles), `sched` its schedule, `level` its stack level
    connector = payload.get("connectorId")
    p = payload.get("csChargingProfiles")
    if not isinstance(connector, int) or not isinstance(p, dict):
        return None
    sched = p.get("chargingSchedule")
    number, level = p.get("chargingProfileId"), p.get("stackLevel")
    purposes, kinds = PURPOSES.split(), _KINDS.split()
    if not isinstance(sched, dict) or not isinstance(number, int) or not isinstance(level, int) \
            or p.get("chargingProfilePurpose") not in purposes \
            or p.get("chargingProfileKind") not in kinds:
        return None
    periods = sched.get("chargingSchedulePeriod")
    if not isinstance(periods, list) or not periods:
        return None
    purpose = purposes.index(p["chargingProfilePurpose"])
    kind = kinds.index(p["chargingProfileKind"])
    if sched.get("chargingRateUnit") != "A" or len(periods) > _MAX_PERIODS \
            or not 0 <= level <= _MAX_STACK or connector not in (0, 1) \
            or (purpose == 0 and connector != 0):
        return "Rejected"
    tx = p.get("transactionId", -1)
    if purpose == 2 and (tx_id < 0 or connector != 1 or (tx != -1 and tx != tx_id)):
        return "Rejected"                 # a TxProfile needs the running transaction
    try:
        periods = tuple((int(s["startPeriod"]), int(float(s["limit"]) * 10)) for s in periods)
    except (KeyError, TypeError, ValueError):
        return None
    start = epoch(sched["startSchedule"]) if "startSchedule" in sched else None
    if start is None and kind != 2:
        start = -1 if kind == 1 else epoch(p.get("validFrom") or "") or 0
    duration = sched.get("duration", -1)
    profile = (number, level, purpose, tx_id if purpose == 2 else -1, kind,
               -1 if start is None else start,
               604800 if p.get("recurrencyKind") == "Weekly" else 86400,   # recurrence s
               duration if isinstance(duration, int) else -1,
               epoch(p.get("validFrom") or "") or 0, epoch(p.get("validTo") or "") or 0,
               periods)
    # installed: it replaces the one of its id and the one of its stack level and purpose
    installed = [p for p in profiles.installed
                 if p[0] != number and not (p[1] == level and p[2] == purpose)]
    if len(installed) >= _MAX_PROFILES:
        return "Rejected"
    installed.append(profile)
    profiles.installed = installed
    return "Accepted"

def clear_profiles(profiles, payload):
    """ClearChargingProfile: "Accepted" when at least one profile went, else "Unknown"."""
    number = payload.get("id")
    purpose = payload.get("chargingProfilePurpose")
    level = payload.get("stackLevel")
    installed = []
    for p in profiles.installed:
        if number is not None:
            match = p[0] == number
        else:
            match = (purpose is None or PURPOSES.split()[p[2]] == purpose) and \
                    (level is None or p[1] == level)
        if not match:
            installed.append(p)
    status = "Accepted" if len(installed) < len(profiles.installed) else "Unknown"
    profiles.installed = installed
    return status

def composite(profiles, now_s, duration, tx_id, tx_start):
    """GetCompositeSchedule: [(offset s, limit dA)] over the next `duration` s."""
    starts = {now_s}                   # every time a limit may change
    for p in profiles.installed:
        for t in (p[8], p[9]):
            if now_s < t < now_s + duration:
                starts.add(t)
        day = now_s
        while day < now_s + duration:
            start = start_of(p, day, tx_start)
            if start is not None:
                for offset, _ in p[10]:
                    starts.add(start + offset)
                if p[7] >= 0:
                    starts.add(start + p[7])
            day += p[6] if p[4] == 1 else duration
    out = []
    for t in sorted(starts):
        if now_s <= t < now_s + duration:
            limit = profiles.limit_da(t, tx_id, tx_start)
            if not out or out[-1][1] != limit:
                out.append((t - now_s, limit))
    return out


def send_list(local, payload, epoch):
    """SendLocalList: the status text; the list changes only when it is Accepted."""
    version = payload.get("listVersion")
    differential = payload.get("updateType") == "Differential"
    items = payload.get("localAuthorizationList") or []
    if not isinstance(version, int) or not isinstance(items, list) or \
            not differential and payload.get("updateType") != "Full":
        return None                          # FormationViolation
    if differential and version <= local.version:
        return "VersionMismatch"
    tags = dict(local.tags) if differential else {}
    for item in items:
        id_tag = item.get("idTag") if isinstance(item, dict) else None
        # CiString20: 1..20 printable ASCII characters (OCPP 1.6 2.2), so 48 fit the record
        if not isinstance(id_tag, str) or not 0 < len(id_tag) <= 20 or \
                not all(" " <= c <= "~" for c in id_tag):
            return None
        info = item.get("idTagInfo")
        if info is None:
            tags.pop(id_tag, None)
            continue
        status = info.get("status") if isinstance(info, dict) else None
        if status not in STATUSES:
            return None
        expiry = info.get("expiryDate")
        tags[id_tag] = (STATUSES.index(status), (epoch(expiry) or 0) if expiry else 0)
    if len(tags) > MAX_ENTRIES:
        return "Failed"
    local.version, local.tags = version, tags
    return "Accepted"
