"""The status line while OCPP decides access (settings-and-menu.md 3.5): the connector
status, and the transaction notifications with the backlight on."""

from ocpp.v16 import call

from tests.ocpp.ocpp_helpers import advance_until, booted, csms_call

CARD = {"rfid_reader": "Rmt/OCPP"}


def _row7(s):
    return s.display_text()[7]


def _backlight_s(s):
    return s.rest("GET", "/settings")[1]["backlight"]["timer"]


def test_the_status_line_follows_the_connector_status_while_ocpp_decides_access(csms):
    """Given OCPP on with RFID Rmt/OCPP and no card yet (access OFF), then row 7 reads
    `AVAILABLE`; with the EV plugged in `PLEASE AUTHORIZE`; once a known card started the
    transaction the EV charges and the rotation takes over (3.5: the OCPP row comes after
    charging and access ON)."""
    s = booted(csms, settings=CARD)
    s.advance(2)
    assert s.observe()["access"] == "off" and _row7(s) == "AVAILABLE"
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    advance_until(s, lambda: _row7(s) == "PLEASE AUTHORIZE", 10)
    s.plant.ev.pilot("C")
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    s.advance(6)                                   # the notifications have passed
    assert _row7(s) not in ("AVAILABLE", "PLEASE AUTHORIZE", "ACCESS DENIED")


def test_a_known_card_shows_accepted_then_transaction_started_and_stopped(csms):
    """Given RFID Rmt/OCPP and the panel dark, when a known card is shown, then row 7 reads
    `ACCEPTED RFID CARD` and the backlight is on; when the EV is plugged in `TRANSACTION
    STARTED`; when the card is shown again `TRANSACTION STOPPED`; each notification goes
    after 5 s (settings-and-menu.md 3.5, 3.7)."""
    s = booted(csms, settings=CARD)
    s.advance(125)                                 # the boot's 120 s of backlight run out
    assert _backlight_s(s) == 0
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: _row7(s) == "ACCEPTED RFID CARD", 10)
    assert _backlight_s(s) > 100
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    advance_until(s, lambda: _row7(s) == "TRANSACTION STARTED", 10)
    advance_until(s, lambda: _row7(s) != "TRANSACTION STARTED", 7)
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: _row7(s) == "TRANSACTION STOPPED", 15)
    assert advance_until(s, lambda: _row7(s) != "TRANSACTION STOPPED", 10) <= 6


def test_an_unknown_card_reads_invalid_and_offline_a_card_reads_try_later(csms):
    """Given RFID Rmt/OCPP, when a card the central system does not know is shown, then
    `INVALID RFID CARD` and nothing charges; when the central system has gone away and a
    card off the local list is shown, then `OFFLINE, TRY LATER` (3.5, interfaces.md 3.6)."""
    s = booted(csms, settings=CARD)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.plant.rfid.tap("11223344")
    advance_until(s, lambda: _row7(s) == "INVALID RFID CARD", 10)
    assert s.observe()["state"] != "Charging"
    csms.stop()
    advance_until(s, lambda: not s.app.ocpp.connected, 20)
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: _row7(s) == "OFFLINE, TRY LATER", 10)
    assert s.observe()["state"] != "Charging"


def test_a_card_never_followed_by_the_ev_reads_timeout(csms):
    """Given RFID Rmt/OCPP and ConnectionTimeOut 30 s, when a known card is shown and no EV
    is plugged in, then after 30 s row 7 reads `TIMEOUT, TRY AGAIN` (3.5, interfaces.md 3.9)."""
    s = booted(csms, settings=CARD)
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: _row7(s) == "ACCEPTED RFID CARD", 10)
    took_s = advance_until(s, lambda: _row7(s) == "TIMEOUT, TRY AGAIN", 40)
    assert 24 <= took_s <= 33


def test_a_reservation_blocks_another_card_and_a_remote_start_asks_for_the_ev(csms):
    """Given a reservation for REMOTE01, when another known card is shown, then `BLOCKED -
    RESERVED`; when the central system starts a transaction remotely for REMOTE01 with no EV
    plugged in, then `PLUG IN VEHICLE` (3.5, interfaces.md 3.10, 3.6)."""
    s = booted(csms, settings=CARD)
    answer = csms_call(s, csms, call.ReserveNow(connector_id=1, expiry_date="2099-01-01T00:00:00Z",
                                                id_tag="REMOTE01", reservation_id=4))
    assert answer.status == "Accepted"
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: _row7(s) == "BLOCKED - RESERVED", 10)
    answer = csms_call(s, csms, call.RemoteStartTransaction(id_tag="REMOTE01", connector_id=1))
    assert answer.status == "Accepted"
    advance_until(s, lambda: _row7(s) == "PLUG IN VEHICLE", 5)


def test_with_the_whitelist_deciding_no_ocpp_notification_is_shown(csms):
    """Given OCPP on with RFID EnableAll (the whitelist decides, OCPP reports), when a card
    starts charging, then row 7 never reads an OCPP notification (3.5: RFID Disabled or
    Rmt/OCPP only)."""
    s = booted(csms, settings={"rfid_reader": "EnableAll"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.plant.rfid.tap("AABBCCDD")
    seen = set()
    for _ in range(15):
        s.advance(1)
        seen.add(_row7(s))
    assert s.app.ocpp.cp.tx_starts == 1
    assert not seen & {"ACCEPTED RFID CARD", "TRANSACTION STARTED"}


def test_the_notification_codes_copied_into_other_modules_match_session_and_the_texts():
    """Given the notification codes of smartevse/ocpp/session.py, then the private copies in
    events.py and operations.py are the same numbers and ui/status.py's
    texts sit at those codes (settings-and-menu.md 3.5; copies fold to literals on the device)."""
    from smartevse.ocpp import events, operations, session
    from ui.status import OCPP_NOTICES
    assert (events._ACCEPTED, events._INVALID, events._OFFLINE, events._RESERVED,
            events._STARTED, events._STOPPED, operations._PLUG_IN) == \
        (session._ACCEPTED, session._INVALID, session._OFFLINE, session._RESERVED,
         session._STARTED, session._STOPPED, session._PLUG_IN)
    texts = {session._ACCEPTED: "ACCEPTED RFID CARD", session._INVALID: "INVALID RFID CARD",
             session._OFFLINE: "OFFLINE, TRY LATER", session._RESERVED: "BLOCKED - RESERVED",
             session._TIMEOUT: "TIMEOUT, TRY AGAIN", session._PLUG_IN: "PLUG IN VEHICLE",
             session._STARTED: "TRANSACTION STARTED", session._STOPPED: "TRANSACTION STOPPED"}
    assert all(OCPP_NOTICES[code] == text for code, text in texts.items())
    assert len(OCPP_NOTICES) == len(texts) + 1 and OCPP_NOTICES[0] == ""
