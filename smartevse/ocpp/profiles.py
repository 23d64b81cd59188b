"""Decides the OCPP smart-charging limit of the installed profiles (interfaces.md 3.8)."""
# A profile is kept as a tuple, in RAM only (interfaces.md 3.8 does not ask them to survive
# a reboot and the NVM has no room left: after a reboot none is installed until the
# central system sets them again):
#   id, stack level, purpose, transaction id or -1, kind, start epoch s or -1,
#   recurrence s, duration s or -1, valid from, valid to (0 = open), ((start s, dA), ...)
# The limit is the lowest of the ChargePointMaxProfile and the transaction's profile
# (TxProfile, else TxDefaultProfile), each the one of highest stack level in force; -1 =
# none. Rates in A only (ChargingScheduleAllowedChargingRateUnit "Current"). OCPP 1.6 3.13;
# Set/ClearChargingProfile and GetCompositeSchedule are smartevse/ocpp/installs.py.


def start_of(p, t, tx_start):
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
    start = start_of(p, t, tx_start)
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
