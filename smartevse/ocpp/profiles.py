"""Decides the OCPP smart-charging limit: Set/ClearChargingProfile, GetCompositeSchedule
(interfaces.md 3.8; OCPP 1.6 3.13)."""
# A profile is kept as a tuple (RAM only; the central system re-sends them after a boot):
#   id, stack level, purpose, transaction id or -1, kind, start epoch s or -1,
#   recurrence s, duration s or -1, valid from, valid to (0 = open), ((start s, dA), ...)
# The limit is the lowest of the ChargePointMaxProfile and the transaction's profile
# (TxProfile, else TxDefaultProfile), each the one of highest stack level in force; -1 =
# none. Rates in A only (ChargingScheduleAllowedChargingRateUnit "Current").

PURPOSES = ("ChargePointMaxProfile", "TxDefaultProfile", "TxProfile")
_KINDS = ("Absolute", "Recurring", "Relative")
MAX_PROFILES = 10
MAX_PERIODS = 24
MAX_STACK = 8


def _start(p, t, tx_start):
    """The epoch the schedule of `p` starts at for time t, or None."""
    kind, start = p[4], p[5]
    if kind == 2:
        return tx_start if tx_start >= 0 else t
    if start < 0:
        return None
    if kind == 1 and t >= start:
        return t - (t - start) % p[6]
    return start


def _limit_of(p, t, tx_start):
    if t < p[8] or (p[9] and t >= p[9]):
        return -1
    start = _start(p, t, tx_start)
    if start is None or t < start or (p[7] >= 0 and t >= start + p[7]):
        return -1
    limit = -1
    for offset, limit_da in p[10]:
        if offset <= t - start:
            limit = limit_da
    return limit


class Profiles:
    """The installed profiles and the limit they give."""

    def __init__(self):
        self.installed = []

    def limit_da(self, t, tx_id, tx_start):
        """The composite limit in dA at epoch t (-1 = none); tx_id -1 when no transaction."""
        best = [(-1, -1), (-1, -1), (-1, -1)]          # (stack level, limit) per purpose
        for p in self.installed:
            purpose = p[2]
            if purpose == 2 and (tx_id < 0 or (p[3] >= 0 and p[3] != tx_id)):
                continue
            limit = _limit_of(p, t, tx_start)
            if limit >= 0 and p[1] > best[purpose][0]:
                best[purpose] = (p[1], limit)
        cp_max = best[0][1]
        tx = best[2][1] if best[2][0] >= 0 else best[1][1]
        if cp_max < 0:
            return tx
        return cp_max if tx < 0 or cp_max < tx else tx

    def set(self, payload, tx_id, epoch_of):
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
        kept = [p for p in self.installed
                if p[0] != pid and not (p[1] == stack and p[2] == purpose)]
        if len(kept) >= MAX_PROFILES:
            return "Rejected"
        kept.append(profile)
        self.installed = kept
        return "Accepted"

    def clear(self, payload):
        """ClearChargingProfile: "Accepted" when at least one profile went, else "Unknown"."""
        pid = payload.get("id")
        purpose = payload.get("chargingProfilePurpose")
        stack = payload.get("stackLevel")
        kept = []
        for p in self.installed:
            if pid is not None:
                match = p[0] == pid
            else:
                match = (purpose is None or PURPOSES[p[2]] == purpose) and \
                        (stack is None or p[1] == stack)
            if not match:
                kept.append(p)
        status = "Accepted" if len(kept) < len(self.installed) else "Unknown"
        self.installed = kept
        return status

    def composite(self, now_s, duration_s, tx_id, tx_start):
        """GetCompositeSchedule: [(offset s, limit dA)] over the next `duration_s`."""
        times = {now_s}
        for p in self.installed:
            for t in (p[8], p[9]):
                if now_s < t < now_s + duration_s:
                    times.add(t)
            day = now_s
            while day < now_s + duration_s:
                start = _start(p, day, tx_start)
                if start is not None:
                    for offset, _ in p[10]:
                        times.add(start + offset)
                    if p[7] >= 0:
                        times.add(start + p[7])
                day += p[6] if p[4] == 1 else duration_s
        out = []
        for t in sorted(times):
            if now_s <= t < now_s + duration_s:
                limit = self.limit_da(t, tx_id, tx_start)
                if not out or out[-1][1] != limit:
                    out.append((t - now_s, limit))
        return out
