"""The OCPP records and rules that need no central system: the local authorization list,
the transaction journal's bound, the smart-charging stack, OCPP times and the idTag of a
card (interfaces.md 3.6-3.9; architecture.md NVM budget)."""

import datetime
import json

from sim import Simulation
from smartevse.ocpp.events import id_tag, journal_start, journal_stop, list_status
from smartevse.ocpp import codec, installs, rpc
from smartevse.ocpp.chargepoint import ChargePoint
from smartevse.ocpp.start import connected
from smartevse.ocpp.records import Journal, LocalList, Profiles
from smartevse.settings.nvm import OCPP_LIST_SLOT_SIZE, RECORD_OVERHEAD


def _entry(tag, status="Accepted", expiry=None):
    info = {"status": status}
    if expiry:
        info["expiryDate"] = expiry
    return {"idTag": tag, "idTagInfo": info}


def test_a_full_local_list_of_48_longest_idtags_fits_its_nvm_slot():
    """Given 48 idTags of 20 characters with expiry dates, when SendLocalList Full is taken,
    then the record fits the 1280 B slot, and a 49th is Failed (3.9 LocalAuthListMaxLength;
    architecture.md NVM budget)."""
    tags = [_entry("%020d" % n, expiry="2030-01-01T00:00:00Z") for n in range(48)]
    local = LocalList()
    assert installs.send_list(local, {"listVersion": 3, "updateType": "Full",
                       "localAuthorizationList": tags}, rpc.epoch) == "Accepted"
    assert len(codec.list_bytes(local)) <= OCPP_LIST_SLOT_SIZE - RECORD_OVERHEAD
    again = LocalList()
    codec.load_list(again, codec.list_bytes(local))
    assert again.version == 3 and again.tags == local.tags
    tags.append(_entry("X" * 20))
    assert installs.send_list(local, {"listVersion": 4, "updateType": "Full",
                       "localAuthorizationList": tags}, rpc.epoch) == "Failed"
    assert local.version == 3


def test_an_idtag_outside_printable_ascii_is_refused_and_a_cut_list_record_loads_empty():
    """Given a list of version 3, when SendLocalList carries an idTag with a character outside
    printable ASCII (CiString20, OCPP 1.6 2.2), then it is a FormationViolation (None) and the
    list is unchanged, so 48 longest idTags always fit the NVM record; and a record cut short
    inside an entry loads as an empty list, never raises."""
    local = LocalList()
    assert installs.send_list(local, {"listVersion": 3, "updateType": "Full",
                       "localAuthorizationList": [_entry("CARD1")]}, rpc.epoch) == "Accepted"
    for tag in ("\u00e9" * 20, "TAB\tTAG", "\u20ac1"):
        assert installs.send_list(local, {"listVersion": 4, "updateType": "Full",
                           "localAuthorizationList": [_entry(tag)]}, rpc.epoch) is None
    assert local.version == 3 and list(local.tags) == ["CARD1"]
    data = codec.list_bytes(local)
    for cut in range(len(data)):
        again = LocalList()
        codec.load_list(again, data[:cut])
        assert again.tags == {} and again.version == 0


def test_differential_updates_need_a_newer_version_and_expired_cards_read_expired():
    """Given list version 5 with card A, when a Differential of version 5 comes, then
    VersionMismatch; version 6 deleting A and adding B (expired yesterday) is taken and B
    reads Expired (OCPP 1.6 5.16)."""
    local = LocalList()
    installs.send_list(local, {"listVersion": 5, "updateType": "Full",
                "localAuthorizationList": [_entry("A")]}, rpc.epoch)
    diff = {"listVersion": 5, "updateType": "Differential",
            "localAuthorizationList": [{"idTag": "A"}, _entry("B", expiry="2026-01-01T00:00:00Z")]}
    assert installs.send_list(local, diff, rpc.epoch) == "VersionMismatch"
    diff["listVersion"] = 6
    assert installs.send_list(local, diff, rpc.epoch) == "Accepted"
    assert list_status(local, "A", 0) is None
    assert list_status(local, "B", rpc.epoch("2026-01-02T00:00:00Z")) == "Expired"


def test_offline_a_card_on_the_local_list_starts_charging_an_unknown_one_does_not():
    """Given OCPP on with RFID Rmt/OCPP and no central system reachable, and a local list
    holding AABBCCDD (SendLocalList earlier, kept in NVM), when the unknown card swipes then
    the listed one, then only the listed card lets the EV charge (3.6 LocalAuthorizeOffline)."""
    s = Simulation(settings={"rfid_reader": "Rmt/OCPP"}, ocpp="ws://127.0.0.1:9/CP1")
    s.app.ocpp.cp.received(json.dumps([2, "1", "SendLocalList", {
        "listVersion": 1, "updateType": "Full",
        "localAuthorizationList": [_entry("AABBCCDD")]}]), 0)
    s.advance(2)
    s.power_cut()
    s.power_on()
    s.advance(0.01)                     # the first loop pass loads the OCPP records
    assert s.app.ocpp.cp.local_list.version == 1
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.app.ocpp.authorize("11223344")
    s.advance(5)
    assert s.observe()["state"] != "Charging"
    s.app.ocpp.authorize("AABBCCDD")
    s.advance(5)
    assert s.observe()["state"] == "Charging" and s.app.ocpp.tx_active
    assert s.app.ocpp.cp.journal.tx[1] == "AABBCCDD"


def test_whitelist_access_begins_and_ends_a_reported_transaction():
    """Given RFID EnableAll (the whitelist decides) and OCPP on, when a card was read and
    access goes ON with the EV plugged in, then a transaction begins with that card's idTag;
    when access goes OFF it ends with reason Local (3.6 path 2)."""
    s = Simulation(settings={"rfid_reader": "EnableAll"}, ocpp="ws://127.0.0.1:9/CP1")
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    assert s.app.ocpp.authorize("0A0B0C0D") is False      # reported only
    s.configure({"access": "ON"})
    s.advance(3)
    tx = s.app.ocpp.cp.journal.tx
    assert tx is not None and tx[1] == "0A0B0C0D"
    s.configure({"access": "OFF"})
    s.advance(7)
    queue = s.app.ocpp.cp.journal.queue
    assert s.app.ocpp.cp.journal.tx is None and queue[-1][0] == "T" and queue[-1][5] == "Local"


def test_the_journal_stays_within_its_slot_dropping_the_oldest_and_counting():
    """Given many offline sessions queued, when the journal is encoded, then it fits the
    256 B slot, the oldest messages went first and each drop is counted (issue 13 item 5)."""
    journal = Journal()
    for n in range(6):
        journal_start(journal, "TAG%017d" % n, 1000 * n, 1767254400 + 600 * n)
        journal_stop(journal, 1000 * n + 500, 1767254400 + 600 * n + 300, "EVDisconnected")
    data = journal.encode()
    assert len(data) <= 241 and journal.dropped > 0
    kept = json.loads(data)["q"]
    assert kept[-1][0] == "T" and kept[-1][4] == 1767254400 + 3000 + 300
    assert kept[0][0] == "S" or journal.head() is not None


def test_the_highest_stack_level_wins_and_the_charge_point_maximum_caps_it():
    """Given a TxDefaultProfile of 16 A at stack 0 and of 8 A from 09:00 at stack 1, and a
    ChargePointMaxProfile of 12 A, then the limit is 12 A before 09:00 and 8 A after, and the
    composite schedule says so (OCPP 1.6 3.13.2)."""
    profiles = Profiles()

    def put(pid, stack, purpose, periods, start="2026-01-01T08:00:00Z", connector=1):
        cs = {"chargingProfileId": pid, "stackLevel": stack, "chargingProfilePurpose": purpose,
              "chargingProfileKind": "Absolute",
              "chargingSchedule": {"chargingRateUnit": "A", "startSchedule": start,
                                   "chargingSchedulePeriod": periods}}
        return installs.set_profile(profiles, {"connectorId": connector, "csChargingProfiles": cs}, -1, rpc.epoch)

    assert put(1, 0, "TxDefaultProfile", [{"startPeriod": 0, "limit": 16}]) == "Accepted"
    assert put(2, 1, "TxDefaultProfile", [{"startPeriod": 0, "limit": 8}],
               start="2026-01-01T09:00:00Z") == "Accepted"
    assert put(3, 0, "ChargePointMaxProfile", [{"startPeriod": 0, "limit": 12}],
               connector=0) == "Accepted"
    assert put(4, 0, "TxProfile", [{"startPeriod": 0, "limit": 6}]) == "Rejected"  # no tx
    eight = rpc.epoch("2026-01-01T08:30:00Z")
    assert profiles.limit_da(eight, -1, -1) == 120
    assert profiles.limit_da(rpc.epoch("2026-01-01T09:30:00Z"), -1, -1) == 80
    assert installs.composite(profiles, eight, 7200, -1, -1) == [(0, 120), (1800, 80)]


def test_ocpp_times_read_and_write_iso_8601_in_utc():
    """Given epoch seconds across leap years, then `iso` writes what datetime writes and
    `epoch` reads it back, with fractions and offsets (OCPP-J dateTime)."""
    for t in (0, 951782400, 1709164800, 1767254400, 4102444799):
        text = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        assert rpc.iso(t) == text and rpc.epoch(text) == t
    assert rpc.epoch("2026-01-01T09:00:00.250+01:00") == 1767254400
    assert rpc.epoch("yesterday") is None


def test_a_card_uid_becomes_the_idtag_of_interfaces_3_6():
    """Given UIDs as the reader writes them, then a 4-byte card with zero upper bytes reads
    as 8 hex digits and others stay whole, upper-case (3.6)."""
    assert id_tag("aabbccdd000000") == "AABBCCDD"
    assert id_tag("01A2B3C4D5E6") == "01A2B3C4D5E6"
    assert id_tag("04A2B3C4D5E6F7") == "04A2B3C4D5E6F7"


def test_a_rejected_boot_retries_after_the_interval_and_sends_nothing_else():
    """Given a BootNotification answered Pending with interval 40, then nothing else is
    sent, and the boot goes again 40 s later (3.3)."""
    cp = ChargePoint(1, "0.1.0", "")
    connected(cp, 0)
    boot = json.loads(cp.next_call(0))
    cp.call("Heartbeat", {})
    cp.received(json.dumps([3, boot[1], {"status": "Pending", "interval": 40,
                                         "currentTime": "2026-01-01T08:00:00Z"}]), 1)
    assert cp.next_call(20) is None
    assert json.loads(cp.next_call(41))[2] == "BootNotification"


def test_disabling_ocpp_ends_the_transaction_with_other_and_leaves_access_to_the_user():
    """Given FreeVend charging, when OCPP is disabled, then the transaction ends with reason
    Other, no new one begins, and access is no longer OCPP's (3.1); enabling it again takes
    access back until a transaction permits it (3.6)."""
    s = Simulation(settings={"ocpp_auto_auth": 1}, ocpp="ws://127.0.0.1:9/CP1")
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(5)
    assert s.observe()["state"] == "Charging"
    s.configure({"ocpp_mode": 0})
    s.advance(7)
    journal = s.app.ocpp.cp.journal
    assert journal.tx is None and journal.queue[-1][5] == "Other"
    s.configure({"access": "ON"})
    s.advance(10)
    assert s.observe()["state"] == "Charging" and journal.tx is None
    s.configure({"ocpp_mode": 1})
    s.advance(1)
    assert s.observe()["access"] == "off" and journal.tx is None


def test_the_key_indexes_copied_into_the_modules_match_the_configuration_order():
    """Given the writable keys of smartevse/ocpp/configkeys.py in their record order, then every
    private `_KEY_<NAME>` constant a module keeps (folded on the device) is that key's
    index in Config.numbers (interfaces.md 3.9)."""
    import re
    from smartevse.net import ocpp_link, ocpp_start
    from smartevse.ocpp import chargepoint, configkeys, events, operations, records, session
    order = {re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).upper()
             .replace("__", "_"): i for i, (name, _) in enumerate(configkeys.writable_keys())}
    checked = 0
    for module in (chargepoint, session, events, operations, ocpp_link, ocpp_start):
        for attr in dir(module):
            if attr.startswith("_KEY_"):
                assert getattr(module, attr) == order[attr[5:]], (module.__name__, attr)
                checked += 1
    assert checked >= 18
    assert len(configkeys.NAMES.split()) == len(records.DEFAULTS) == 26


def test_the_link_watches_exactly_the_error_flags_that_make_an_ocpp_error_code():
    """Given every single error flag of smartevse/core/states.py, then the link's private
    mask (folded on the device) holds exactly those for which events.error_code gives an
    errorCode other than NoError, RCM_TEST included since it masks RCM_TRIPPED (interfaces.md
    3.5)."""
    from smartevse.core import states
    from smartevse.net import ocpp_link
    from smartevse.ocpp import events
    faulting = 0
    for bit in range(16):
        if events.error_code(1 << bit)[0] != "NoError":
            faulting |= 1 << bit
    assert faulting == states.CT_NOCOMM | states.TEMP_HIGH | states.EV_NOCOMM | \
        states.RCM_TRIPPED
    assert ocpp_link._ERROR_FLAGS == faulting | states.RCM_TEST
    assert events.error_code(states.RCM_TRIPPED | states.RCM_TEST) == ("NoError", None)
