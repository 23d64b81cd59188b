"""Reset from the central system reboots the controller (interfaces.md 3.10, 3.7; OCPP 1.6
5.14), against the loopback central system built on the `ocpp` package."""

from ocpp.v16 import call

from tests.ocpp.ocpp_helpers import advance_until, booted, csms_call


def _charging_on_a_card(s):
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)


def test_a_soft_reset_stops_the_transaction_then_reboots_with_the_nvm_kept(csms):
    """Given an EV charging on a card (RFID Rmt/OCPP, MAX set to 13 A), when the central
    system sends Reset Soft, then it is Accepted, charging stops, StopTransaction says
    SoftReset, the controller reboots (a second BootNotification, a new firmware run) with
    its settings kept, and nothing charges until a card is shown again (3.10, 3.7)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP", "current_max": 13})
    _charging_on_a_card(s)
    advance_until(s, lambda: csms.messages("StartTransaction"), 10)
    before = s.app
    assert csms_call(s, csms, call.Reset(type="Soft")).status == "Accepted"
    advance_until(s, lambda: not s.observe()["contactor1"], 5)
    advance_until(s, lambda: len(csms.messages("BootNotification")) == 2, 30)
    assert s.app is not before                               # the firmware restarted
    stop, = csms.messages("StopTransaction")
    assert stop["reason"] == "SoftReset"
    assert stop["transaction_id"] == csms.messages("StartTransaction")[0]["transaction_id"]
    assert s.app.settings.values["current_max"] == 13        # the NVM survived the reboot
    advance_until(s, lambda: s.app.ocpp.connected, 20)
    s.advance(5)
    assert s.observe()["state"] != "Charging" and len(csms.messages("StartTransaction")) == 1


def test_a_hard_reset_ends_the_transaction_with_hardreset_and_reboots(csms):
    """Given an EV charging on a card, when the central system sends Reset Hard, then it is
    Accepted, StopTransaction says HardReset and the controller boots again (3.10, 3.7)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP"})
    _charging_on_a_card(s)
    advance_until(s, lambda: csms.messages("StartTransaction"), 10)
    assert csms_call(s, csms, call.Reset(type="Hard")).status == "Accepted"
    advance_until(s, lambda: len(csms.messages("BootNotification")) == 2, 30)
    assert [m["reason"] for m in csms.messages("StopTransaction")] == ["HardReset"]


def test_a_reset_without_a_transaction_reboots_at_once(csms):
    """Given no transaction, when the central system sends Reset Soft, then it is Accepted
    and the controller boots again within the REST reboot's 5 s (3.10, interfaces.md 1.10)."""
    s = booted(csms)
    before = s.app
    assert csms_call(s, csms, call.Reset(type="Soft")).status == "Accepted"
    took_s = advance_until(s, lambda: s.app is not before, 10)
    assert took_s <= 7
    advance_until(s, lambda: len(csms.messages("BootNotification")) == 2, 20)
    assert csms.messages("StopTransaction") == []


def test_no_transaction_begins_between_a_reset_and_the_reboot(csms):
    """Given a Reset answered with no transaction, when a known card is shown and the EV
    plugged in before the reboot, then no StartTransaction goes out until the controller
    has booted again (3.10: the reboot comes first)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP"})
    before = s.app
    assert csms_call(s, csms, call.Reset(type="Soft")).status == "Accepted"
    s.advance(1)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: s.app is not before, 10)
    assert csms.messages("StartTransaction") == []
