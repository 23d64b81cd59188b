"""OCPP 1.6J sessions against a central system built on the `ocpp` package over
`websockets` on loopback (interfaces.md 3; issue 13 item 6). The package checks every
payload the firmware sends against the OCPP 1.6 schemas."""

from ocpp.v16 import call

from sim import Simulation
from tests.ocpp.ocpp_helpers import advance_until, booted, csms_call

EV_METER = {"ev_meter_type": "Eastron3P", "ev_meter_address": 12}


def _plug_and_charge(s):
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")


def test_boot_notification_first_then_the_connector_statuses(csms):
    """Given OCPP enabled, when the controller boots, then its first message is the
    BootNotification with the spec's vendor, model, firmware and serial, and only after
    Accepted come StatusNotification Available for connectors 0 and 1 (interfaces.md 3.3, 3.5)."""
    s = booted(csms)
    advance_until(s, lambda: len(csms.messages("StatusNotification")) >= 2, 10)
    first = csms.received[0]
    assert first[:2] == ("CP1", "BootNotification")
    assert first[2] == {"charge_point_vendor": "Stegen Electronics",
                        "charge_point_model": "SmartEVSE",
                        "firmware_version": s.app.version,
                        "charge_point_serial_number": "51446"}
    statuses = csms.messages("StatusNotification")
    assert [(m["connector_id"], m["status"]) for m in statuses[:2]] == [(0, "Available"),
                                                                         (1, "Available")]
    assert s.rest("GET", "/settings")[1]["ocpp"]["status"] == "Connected"


def test_a_valid_card_is_authorised_and_starts_a_transaction_an_invalid_one_does_not(csms):
    """Given RFID Rmt/OCPP, when an unknown card is swiped, then Authorize is answered
    Invalid and the EV does not charge; when a valid card is swiped and the EV plugged in,
    then StartTransaction carries its idTag and the EV charges (interfaces.md 3.6)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP"})
    s.plant.ev.pilot("B")
    s.app.ocpp.authorize("11223344556677")
    advance_until(s, lambda: s.app.ocpp.cp.auth_rejects == 1, 10)
    s.advance(5)
    assert s.observe()["state"] != "Charging" and not s.app.ocpp.tx_active
    s.app.ocpp.authorize("AABBCCDD000000")       # a 4-byte UID: idTag of 8 hex digits
    _plug_and_charge(s)
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    advance_until(s, lambda: csms.messages("StartTransaction"), 15)   # the CSMS's thread
    assert [m["id_tag"] for m in csms.messages("Authorize")] == ["11223344556677", "AABBCCDD"]
    start = csms.messages("StartTransaction")
    assert len(start) == 1 and start[0]["id_tag"] == "AABBCCDD"


def test_a_full_session_reports_meter_values_and_stops_on_ev_disconnect(csms):
    """Given FreeVend with idTag FREE and an EV meter, when the EV charges 3 minutes and is
    unplugged, then StartTransaction, MeterValues every 60 s with the rising energy
    register, and StopTransaction with reason EVDisconnected and meterStop above meterStart
    reach the central system in this order (interfaces.md 3.6, 3.7)."""
    s = booted(csms, settings=dict(EV_METER, ocpp_auto_auth=1, ocpp_auto_auth_idtag="FREE"))
    _plug_and_charge(s)
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    s.advance(185)
    s.plant.ev.pilot("A")
    advance_until(s, lambda: csms.messages("StopTransaction"), 20)
    order = [m[1] for m in csms.received if m[1] in ("StartTransaction", "MeterValues",
                                                     "StopTransaction")]
    assert order == ["StartTransaction", "MeterValues", "MeterValues", "MeterValues",
                     "StopTransaction"]
    start, = csms.messages("StartTransaction")
    stop, = csms.messages("StopTransaction")
    energies = [int(m["meter_value"][0]["sampled_value"][0]["value"])
                for m in csms.messages("MeterValues")]
    assert start["id_tag"] == "FREE"
    assert start["meter_start"] <= energies[0] < energies[1] < energies[2] <= stop["meter_stop"]
    assert stop["reason"] == "EVDisconnected" and stop["transaction_id"] == start["transaction_id"]
    assert stop["meter_stop"] > start["meter_start"]
    sampled = csms.messages("MeterValues")[-1]["meter_value"][0]["sampled_value"]
    currents = [v for v in sampled if v["measurand"] == "Current.Import"]
    assert [v.get("phase") for v in currents] == [None, "L1", "L2", "L3"]
    total = sum(float(v["value"]) for v in currents[1:])
    assert abs(float(currents[0]["value"]) - total) < 0.05 and total > 6


def test_remote_start_and_remote_stop_are_obeyed(csms):
    """Given RFID Rmt/OCPP and a plugged EV, when the central system sends
    RemoteStartTransaction, then it is Accepted and the EV charges without an Authorize;
    when it sends RemoteStopTransaction, then charging stops and StopTransaction says
    Remote (interfaces.md 3.6, 3.7)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP"})
    _plug_and_charge(s)
    s.advance(3)
    assert s.observe()["state"] != "Charging"
    answer = csms_call(s, csms, call.RemoteStartTransaction(id_tag="REMOTE01", connector_id=1))
    assert answer.status == "Accepted"
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    assert csms.messages("Authorize") == []
    advance_until(s, lambda: csms.messages("StartTransaction"), 10)
    tx_id = csms.messages("StartTransaction")[0]["transaction_id"]
    assert csms_call(s, csms, call.RemoteStopTransaction(transaction_id=tx_id + 7)).status \
        == "Rejected"
    assert csms_call(s, csms, call.RemoteStopTransaction(transaction_id=tx_id)).status \
        == "Accepted"
    advance_until(s, lambda: not s.observe()["contactor1"], 5)
    advance_until(s, lambda: csms.messages("StopTransaction"), 15)
    assert csms.messages("StopTransaction")[0]["reason"] == "Remote"


def test_a_charging_profile_lowers_the_offer_and_clearing_it_restores_it(csms):
    """Given FreeVend charging at MAX 16 A, when the central system sets a TxDefaultProfile
    of 10 A, then the offer drops to 10.0 A (a ceiling, charging.md 12 D13), the composite
    schedule says 10 A, and when the profile is cleared the offer is 16 A again
    (interfaces.md 3.8)."""
    s = booted(csms, settings={"ocpp_auto_auth": 1, "current_max": 16})
    _plug_and_charge(s)
    advance_until(s, lambda: s.observe()["advertised_da"] == 160, 15)
    profile = {"charging_profile_id": 7, "stack_level": 1,
               "charging_profile_purpose": "TxDefaultProfile",
               "charging_profile_kind": "Relative",
               "charging_schedule": {"charging_rate_unit": "A",
                                     "charging_schedule_period": [{"start_period": 0,
                                                                   "limit": 10.0}]}}
    answer = csms_call(s, csms, call.SetChargingProfile(connector_id=1,
                                                        cs_charging_profiles=profile))
    assert answer.status == "Accepted"
    advance_until(s, lambda: s.observe()["advertised_da"] == 100, 5)
    assert s.observe()["state"] == "Charging"
    schedule = csms_call(s, csms, call.GetCompositeSchedule(connector_id=1, duration=3600))
    assert schedule.status == "Accepted"
    assert schedule.charging_schedule["charging_schedule_period"][0]["limit"] == 10.0
    assert s.rest("GET", "/settings")[1]["ocpp"]["current_limit_a"] == 10
    answer = csms_call(s, csms, call.ClearChargingProfile(id=7))
    assert answer.status == "Accepted"
    advance_until(s, lambda: s.observe()["advertised_da"] == 160, 5)


def test_central_system_away_mid_session_then_back_gets_every_message_in_order(csms):
    """Given FreeVend charging with an EV meter, when the central system goes away for 10
    minutes, the EV is unplugged meanwhile and it comes back, then the EV charged on
    offline, the controller reconnects with back-off, and the StopTransaction (reason
    EVDisconnected) and the MeterValues taken offline arrive in order, with at most 2 NVM
    writes while offline (interfaces.md 3.1; issue 13 item 5)."""
    s = booted(csms, settings=dict(EV_METER, ocpp_auto_auth=1))
    _plug_and_charge(s)
    advance_until(s, lambda: csms.messages("StartTransaction"), 15)
    csms.stop()
    advance_until(s, lambda: not s.app.ocpp.connected, 10)
    writes = s.app.ocpp.nvm_writes
    s.advance(300)
    assert s.observe()["state"] == "Charging"
    s.plant.ev.pilot("A")
    s.advance(300)
    assert s.app.ocpp.nvm_writes - writes <= 2
    assert not csms.messages("StopTransaction")
    csms.start()
    advance_until(s, lambda: csms.messages("StopTransaction"), 200)
    stop, = csms.messages("StopTransaction")
    assert stop["reason"] == "EVDisconnected"
    offline = [m[1] for m in csms.received[-12:] if m[1] in ("MeterValues", "StopTransaction")]
    assert offline[-1] == "StopTransaction" and offline.count("MeterValues") >= 4
    times = [m["meter_value"][0]["timestamp"] for m in csms.messages("MeterValues")]
    assert times == sorted(times)


def test_a_power_cut_during_a_transaction_is_reported_as_power_loss_on_the_next_boot(csms):
    """Given a transaction running, when the power is cut and comes back, then the first
    StopTransaction says PowerLoss for that transaction (interfaces.md 3.3)."""
    s = booted(csms, settings={"ocpp_auto_auth": 1})
    _plug_and_charge(s)
    advance_until(s, lambda: csms.messages("StartTransaction"), 15)
    tx_id = csms.messages("StartTransaction")[0]["transaction_id"]
    s.advance(3)                                 # the answer is in the journal
    s.power_cut()
    s.advance(60)
    s.power_on()
    advance_until(s, lambda: csms.messages("StopTransaction"), 30)
    stop = csms.messages("StopTransaction")[0]
    assert stop["reason"] == "PowerLoss" and stop["transaction_id"] == tx_id


def test_configuration_keys_changed_by_the_central_system_survive_a_power_cut(csms):
    """Given a booted controller, when the central system sets MeterValueSampleInterval to
    30 and asks for an unknown key, then the key reads 30, the unknown one is listed, and
    after a power cut it still reads 30 (interfaces.md 3.9)."""
    s = booted(csms)
    answer = csms_call(s, csms, call.ChangeConfiguration(key="MeterValueSampleInterval",
                                                         value="30"))
    assert answer.status == "Accepted"
    assert csms_call(s, csms, call.ChangeConfiguration(key="NumberOfConnectors",
                                                       value="2")).status == "Rejected"
    s.advance(2)
    s.power_cut()
    s.power_on()
    advance_until(s, lambda: s.app.ocpp.connected, 20)
    conf = csms_call(s, csms, call.GetConfiguration(key=["MeterValueSampleInterval", "Nope"]))
    assert conf.configuration_key == [{"key": "MeterValueSampleInterval", "readonly": False,
                                       "value": "30"}]
    assert conf.unknown_key == ["Nope"]


def test_simulation_refuses_an_ocpp_url_without_a_charge_point_id():
    """Given Simulation(ocpp=...), when the URL has no id or no ws:// scheme, then
    ValueError names the expected form (README "Simulation API")."""
    for url in ("ws://127.0.0.1:9000/", "http://127.0.0.1:9000/CP1"):
        try:
            Simulation(ocpp=url)
        except ValueError as exc:
            assert "ws://HOST:PORT/ID" in str(exc)
        else:
            raise AssertionError(url)


def test_a_full_local_list_and_every_configuration_key_cross_the_link(csms):
    """Given a booted controller, when the central system sends a SendLocalList of 48 idTags
    of 20 characters with expiry dates (about 5 KB) and asks for every configuration key
    (about 3.7 KB back), then both are answered: Accepted with version 9, and all the keys
    of 3.9 with the write-only AuthorizationKey without a value (interfaces.md 3.6, 3.9)."""
    s = booted(csms)
    tags = [{"id_tag": "%020d" % n, "id_tag_info": {"status": "Accepted",
                                                   "expiry_date": "2030-01-01T00:00:00.000Z"}}
            for n in range(48)]
    answer = csms_call(s, csms, call.SendLocalList(list_version=9, update_type="Full",
                                                   local_authorization_list=tags))
    assert answer.status == "Accepted"
    assert csms_call(s, csms, call.GetLocalListVersion()).list_version == 9
    keys = csms_call(s, csms, call.GetConfiguration()).configuration_key
    names = {k["key"] for k in keys}
    assert {"HeartbeatInterval", "MeterValuesSampledData", "SupportedFeatureProfiles",
            "Cst_ChargeBoxId", "ChargeProfileMaxStackLevel"} <= names and len(keys) > 45
    assert [k for k in keys if k["key"] == "AuthorizationKey"] == [
        {"key": "AuthorizationKey", "readonly": False}]


def test_a_card_on_the_pn532_with_rmt_ocpp_is_authorised_by_the_central_system(csms):
    """Given RFID Rmt/OCPP and the EV plugged in, when an unknown card is held on the
    reader, then Authorize carries its UID and the EV does not charge; when a card the
    central system knows is held, then StartTransaction carries its idTag and the EV
    charges (interfaces.md 3.6, settings-and-menu.md 4.3)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP"})
    _plug_and_charge(s)
    s.plant.rfid.tap("11223344556677")
    advance_until(s, lambda: s.app.ocpp.cp.auth_rejects == 1, 10)
    s.advance(3)
    assert s.observe()["state"] != "Charging"
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    assert [m["id_tag"] for m in csms.messages("Authorize")] == ["11223344556677", "AABBCCDD"]
    assert [m["id_tag"] for m in csms.messages("StartTransaction")] == ["AABBCCDD"]


def test_with_the_whitelist_deciding_ocpp_reports_the_card_in_start_transaction(csms):
    """Given RFID EnableAll with card AABBCCDD stored, access OFF and the EV plugged in,
    when the card is held on the reader, then the whitelist grants access, the EV charges
    and StartTransaction reports the card's idTag (interfaces.md 3.6 way 2)."""
    s = booted(csms, settings={"rfid_reader": "EnableAll"})
    text = "AABBCCDD\n"
    assert s.rest("POST", "/update", params={"file": "rfid.txt", "offset": 0,
                                             "size": len(text)}, body=text)[0] == 200
    s.configure({"access": "OFF"})
    _plug_and_charge(s)
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    advance_until(s, lambda: csms.messages("StartTransaction"), 15)
    assert [m["id_tag"] for m in csms.messages("StartTransaction")] == ["AABBCCDD"]
