"""Charging profiles that outlive a power cut: the ChargePointMaxProfile and
TxDefaultProfile ones in their NVM record (interfaces.md 3.8, charging.md 12 D13;
docs/architecture.md NVM layout; smartevse/ocpp/profile_store.py)."""

from hypothesis import given, settings as hsettings, strategies as st
from ocpp.v16 import call

from smartevse.ocpp import installs, profile_store, rpc
from smartevse.ocpp.records import Profiles
from smartevse.settings.nvm import (NVM_SIZE, OCPP_PROFILES_OFFSET, OCPP_PROFILES_SLOT_SIZE,
                                    RECORD_OVERHEAD)
from tests.ocpp.ocpp_helpers import advance_until, booted, csms_call
from tests.settings.test_nvm import CutNvm

FREEVEND_16A = {"ocpp_auto_auth": 1, "current_max": 16}


def _profile(pid, purpose="ChargePointMaxProfile", limits=(10.0,), stack=0,
             start="2026-01-01T00:00:00Z"):
    schedule = {"charging_rate_unit": "A", "start_schedule": start,
                "charging_schedule_period": [{"start_period": 600 * n, "limit": limit}
                                             for n, limit in enumerate(limits)]}
    return {"charging_profile_id": pid, "stack_level": stack,
            "charging_profile_purpose": purpose, "charging_profile_kind": "Absolute",
            "charging_schedule": schedule}


def _set(s, csms, profile, connector=0):
    return csms_call(s, csms, call.SetChargingProfile(connector_id=connector,
                                                      cs_charging_profiles=profile)).status


def _reboot_without_central_system(s, csms):
    s.power_cut()
    csms.stop()
    s.power_on()
    s.advance(0.01)                     # the first loop pass loads the OCPP records


def test_a_site_limit_of_10_a_survives_a_power_cut_and_caps_the_offer_at_once(csms):
    """Given MAX 16 A and a ChargePointMaxProfile of 10 A from the central system (one NVM
    write), when the power fails and comes back with the central system unreachable and an
    EV asks for current, then the offer is 10.0 A from the start, never 16 A, before any
    reconnection (interfaces.md 3.8: the composite limit is a ceiling, D13)."""
    s = booted(csms, settings=FREEVEND_16A)
    assert _set(s, csms, _profile(3)) == "Accepted"
    s.advance(2)
    writes = s.app.ocpp.nvm_writes
    s.advance(10)
    slot_b = OCPP_PROFILES_OFFSET + OCPP_PROFILES_SLOT_SIZE
    assert s.app.ocpp.nvm_writes == writes and \
        bytes(s.nvm[slot_b:slot_b + OCPP_PROFILES_SLOT_SIZE]) == b"\xff" * OCPP_PROFILES_SLOT_SIZE
    _reboot_without_central_system(s, csms)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    offers = []
    for _ in range(100):
        s.advance(0.1)
        offers.append(s.observe()["advertised_da"])
    assert s.observe()["state"] == "Charging" and not s.app.ocpp.connected
    assert max(offers) == 100 and offers[-1] == 100
    assert s.app.ocpp.profile_errors == 0


def test_without_a_clock_after_the_cut_the_site_limit_still_caps_the_offer(csms):
    """Given a controller with no clock of its own (no NTP) and a ChargePointMaxProfile of
    16 A then 10 A from 09:00 (Absolute) set while the central system gave the time, when
    the power fails and comes back with the central system unreachable, then the offer is
    capped at the profile's lowest limit, 10 A, until the clock is known again (interfaces.md
    3.8; docs/architecture.md: a site limit first)."""
    s = booted(csms, settings={"ocpp_auto_auth": 1, "current_max": 20}, start=None)
    assert _set(s, csms, _profile(3, limits=(16.0, 10.0))) == "Accepted"
    s.advance(2)
    _reboot_without_central_system(s, csms)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 10)
    assert s.observe()["advertised_da"] == 100 and s.app.now_epoch_s() is None


def test_a_cleared_profile_stays_cleared_after_a_power_cut(csms):
    """Given a ChargePointMaxProfile of 10 A and a TxDefaultProfile of 8 A, when the central
    system clears the 8 A one and the power fails, then after the reboot only the 10 A
    profile is installed and the EV is offered 10 A; when it clears the other too and the
    power fails again, the EV is offered MAX 16 A (OCPP 1.6 5.5 ClearChargingProfile)."""
    s = booted(csms, settings=FREEVEND_16A)
    assert _set(s, csms, _profile(3)) == "Accepted"
    assert _set(s, csms, _profile(4, "TxDefaultProfile", (8.0,)), connector=1) == "Accepted"
    assert csms_call(s, csms, call.ClearChargingProfile(id=4)).status == "Accepted"
    s.advance(2)
    s.power_cut()
    s.power_on()
    s.advance(0.01)                     # the first loop pass loads the OCPP records
    assert [p[0] for p in s.app.ocpp.cp.profiles.installed] == [3]
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 10)
    advance_until(s, lambda: s.app.ocpp.connected, 20)
    assert s.observe()["advertised_da"] == 100
    assert csms_call(s, csms, call.ClearChargingProfile(
        charging_profile_purpose="ChargePointMaxProfile")).status == "Accepted"
    s.advance(2)
    _reboot_without_central_system(s, csms)
    assert s.app.ocpp.cp.profiles.installed == []
    advance_until(s, lambda: s.observe()["advertised_da"] == 160, 10)


def test_a_profile_the_record_cannot_hold_is_rejected_and_the_kept_ones_stay(csms):
    """Given a TxDefaultProfile of 17 periods (the record's 97 B nearly full), when the
    central system sets a ChargePointMaxProfile too, then it is Rejected (never accepted
    and lost at the next power cut) and the 17-period profile survives a power cut whole;
    a 24-period profile replacing it is Rejected too (interfaces.md 3.8: max 24 periods;
    docs/architecture.md NVM layout)."""
    s = booted(csms, settings=FREEVEND_16A)
    seventeen = [16.0 - n % 8 for n in range(17)]
    assert _set(s, csms, _profile(5, "TxDefaultProfile", seventeen), connector=1) == "Accepted"
    assert _set(s, csms, _profile(6)) == "Rejected"
    assert _set(s, csms, _profile(5, "TxDefaultProfile", seventeen + [6.0] * 7),
                connector=1) == "Rejected"
    s.advance(2)
    s.power_cut()
    s.power_on()
    s.advance(0.01)                     # the first loop pass loads the OCPP records
    kept = s.app.ocpp.cp.profiles.installed
    assert [p[0] for p in kept] == [5] and [da for _, da in kept[0][10]] == \
        [int(a * 10) for a in seventeen]


def test_a_corrupted_profile_record_loads_as_no_profiles_and_is_counted(csms):
    """Given a ChargePointMaxProfile of 10 A in NVM, when a byte of its record flips during
    the power cut, then the controller boots, installs no profile, counts the unreadable
    record once, offers MAX 16 A and charges (docs/architecture.md: a bad record never
    stops the boot)."""
    s = booted(csms, settings=FREEVEND_16A)
    assert _set(s, csms, _profile(3)) == "Accepted"
    s.advance(2)
    _reboot_without_central_system(s, csms)
    assert s.app.ocpp.profile_errors == 0
    s.power_cut()
    s.nvm[OCPP_PROFILES_OFFSET + 14] ^= 0x20
    s.power_on()
    s.advance(0.01)                     # the first loop pass loads the OCPP records
    assert s.app.ocpp.cp.profiles.installed == [] and s.app.ocpp.profile_errors == 1
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 10)
    assert s.observe()["advertised_da"] == 160


def _put(profiles, pid, purpose, limits, connector=1):
    cs = {"chargingProfileId": pid, "stackLevel": pid % 9, "chargingProfilePurpose": purpose,
          "chargingProfileKind": "Recurring", "recurrencyKind": "Weekly",
          "validFrom": "2026-01-01T00:00:00Z", "validTo": "2027-01-01T00:00:00Z",
          "chargingSchedule": {"chargingRateUnit": "A", "duration": 86400,
                               "startSchedule": "2026-01-05T00:00:00Z",
                               "chargingSchedulePeriod": [{"startPeriod": 3600 * n, "limit": a}
                                                          for n, a in enumerate(limits)]}}
    assert installs.set_profile(profiles, {"connectorId": connector, "csChargingProfiles": cs},
                                -1, rpc.epoch) == "Accepted"


def test_a_power_cut_at_every_byte_of_the_profile_write_keeps_the_old_or_the_new_set():
    """Given one profile saved (and 0, 1 or 2 earlier saves, so the target slot is blank or
    holds an older set), when the power fails after k bytes of the write that adds a
    second, for every k, then the boot loads the old set or the new one, never none and
    never a mix (docs/architecture.md: two slots per record)."""
    for history in range(3):
        old, new = Profiles(), Profiles()
        _put(old, 1, "ChargePointMaxProfile", (20, 16), connector=0)
        _put(new, 1, "ChargePointMaxProfile", (20, 16), connector=0)
        _put(new, 2, "TxDefaultProfile", (6, 13, 6))
        base = bytearray(b"\xff" * NVM_SIZE)
        for n in range(history + 1):
            profile_store.store(base).save(profile_store.encode(
                old.installed if n == history else old.installed[:0]), 1)
        data = profile_store.encode(new.installed)
        for k in range(len(data) + RECORD_OVERHEAD + 1):
            cut = CutNvm(bytearray(base))
            cut.cut = k
            profile_store.store(cut).save(data, profile_store.PROFILES_VERSION)
            loaded = Profiles()
            assert profile_store.load(loaded, *profile_store.store(cut.data).load()) == 0
            expected = new if k == len(data) + RECORD_OVERHEAD else old
            assert loaded.installed == expected.installed, (history, k)


def test_every_kept_field_comes_back_and_ten_small_profiles_are_refused_past_the_record():
    """Given ChargePointMax and TxDefault profiles with every optional field (Recurring
    Weekly, validFrom/To, startSchedule, duration), then the record gives back the same
    tuples and the same limits; a TxProfile is not kept; and the record holds 97 B, so
    the 7th one-period profile with a start time does not fit (interfaces.md 3.8)."""
    profiles = Profiles()
    _put(profiles, 1, "ChargePointMaxProfile", (32, 10, 25), connector=0)
    _put(profiles, 2, "TxDefaultProfile", (6,))
    profiles.installed.append((9, 0, 2, 7, 2, -1, 86400, -1, 0, 0, ((0, 60),)))   # a TxProfile
    data = profile_store.encode(profiles.installed)
    assert profile_store.decode(data) == profiles.installed[:2]
    assert OCPP_PROFILES_SLOT_SIZE - RECORD_OVERHEAD == profile_store.MAX_BYTES == 97
    small = [(n, 0, 1, -1, 0, 1767225600, 86400, -1, 0, 0, ((0, 100),)) for n in range(7)]
    assert profile_store.fits(small[:6]) and not profile_store.fits(small)
    assert not profile_store.fits([(1, 0, 1, -1, 0, 1767225600, 86400, -1, 0, 0,
                                    ((1 << 24, 100),))])          # past the u24 start


@hsettings(max_examples=300)
@given(st.binary(max_size=120))
def test_any_record_bytes_decode_to_profiles_or_none_never_an_exception(payload):
    """Given any payload with a valid CRC (a bug or a newer firmware), when decoded, then a
    list of well-formed profiles or None, never an exception (architecture.md: bad input
    changes nothing)."""
    decoded = profile_store.decode(payload)
    assert decoded is None or all(p[2] in (0, 1) and 0 <= p[1] <= 8 and 1 <= len(p[10]) <= 24
                                  for p in decoded)
