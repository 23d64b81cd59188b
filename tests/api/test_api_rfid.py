"""REST for the whitelist: POST /rfid (interfaces.md 1.9) and the rfid.txt upload of
POST /update (1.18), reachable through `s.rest` without the HTTP server."""

import pytest

from sim import Simulation

CARDS = ["04A1B2C3D4E5F6", "A1B2C3D4000000", "112233445566"]


def rfid_txt(s, text, **params):
    query = {"file": "rfid.txt", "offset": 0, "size": len(text)}
    query.update(params)
    return s.rest("POST", "/update", params=query, body=text)


@pytest.fixture
def s():
    sim = Simulation(settings={"rfid": "EnableAll"})
    sim.advance(1.0)
    return sim


def test_rfid_txt_replaces_the_whitelist(s):
    """Given two stored cards, when rfid.txt with three UIDs (14, 8 and 12 hex chars, CRLF
    line ends, a blank line) is uploaded, then the list is exactly those three, in order,
    and survives a power cut; the answer is 200 with the byte count (1.18)."""
    assert rfid_txt(s, "01020304050607\nAABBCCDD\n")[0] == 200
    text = "04a1b2c3d4e5f6\r\nA1B2C3D4\r\n\r\n112233445566\r\n"
    assert rfid_txt(s, text) == (200, len(text))
    assert s.app.rfid.cards.cards() == CARDS
    s.power_cut()
    s.power_on()
    assert s.app.rfid.cards.cards() == CARDS


@pytest.mark.parametrize("text,line", [
    ("A1B2C3D4000000\nA1B2C3ZZ000000\n", 2), ("A1B2C3D4000000\n\n\nA1B2C3\n", 4),
    ("".join("04%06X\n" % n for n in range(101)), 101)])
def test_a_bad_line_is_refused_with_its_number_and_nothing_is_replaced(s, text, line):
    """Given a stored list, when rfid.txt has a bad UID or a 101st card, then 400 naming
    the line and the list is unchanged (issue: bad input changes nothing)."""
    rfid_txt(s, "\n".join(CARDS))
    status, body = rfid_txt(s, text)
    assert status == 400 and body.startswith("rfid.txt line %d:" % line)
    assert s.app.rfid.cards.cards() == CARDS


@pytest.mark.parametrize("params,error", [
    ({"file": ""}, "file required"), ({"offset": None}, "offset required"),
    ({"size": None}, "size required"), ({"file": "firmware.bin"}, "copy the update bundle"),
    ({"offset": 8}, "one chunk"), ({"size": 999}, "one chunk")])
def test_upload_parameters_are_checked(s, params, error):
    """Given an upload without file, offset or size, of another file or in several chunks,
    then 400 with the reason and the list unchanged (1.18)."""
    rfid_txt(s, "A1B2C3D4\n")
    query = {"file": "rfid.txt", "offset": 0, "size": 9}
    query.update(params)
    query = {key: value for key, value in query.items() if value is not None}
    status, body = s.rest("POST", "/update", params=query, body="04A1B2C3\n")
    assert status == 400 and error in body
    assert s.app.rfid.cards.cards() == ["A1B2C3D4000000"]


def test_post_rfid_swipes_a_card_through_the_card_logic(s):
    """Given EnableAll, a stored card and access OFF, when POST /rfid swipes it, then the
    answer echoes the UID with status Present and access is ON (1.9, 4.3)."""
    rfid_txt(s, "\n".join(CARDS))
    s.configure({"access": "OFF"})
    assert s.rest("POST", "/rfid", {"rfid": "112233445566"}) == (
        200, {"rfid": "112233445566", "rfid_status": "Present"})
    assert s.observe()["access"] == "on"
    assert s.rest("POST", "/rfid", {"rfid": "04000000000000"})[1]["rfid_status"] == "Invalid"
    evse = s.rest("GET", "/settings")[1]["evse"]
    assert evse["rfid_lastread"] == "04000000000000" and evse["rfidreader"] == "EnableAll"


@pytest.mark.parametrize("params,status", [
    ({}, "Missing rfid parameter"), ({"rfid": "12345"}, "Invalid RFID length"),
    ({"rfid": "11223344556G"}, "Invalid RFID hex string")])
def test_post_rfid_bad_input_is_answered_with_its_text(s, params, status):
    """Given bad POST /rfid input, then the texts of interfaces.md 1.9 and no access change."""
    s.configure({"access": "OFF"})
    assert s.rest("POST", "/rfid", params) == (200, {"rfid_status": status})
    assert s.observe()["access"] == "off"


def test_post_rfid_with_the_reader_disabled():
    """Given RFID Disabled, when POST /rfid, then "RFID reader not enabled" (1.9)."""
    s = Simulation()
    assert s.rest("POST", "/rfid", {"rfid": "112233445566"}) == (
        200, {"rfid_status": "RFID reader not enabled"})


def test_post_rfid_right_after_enabling_learn():
    """Given RFID Disabled, when RFID is set to Learn (menu) and a card is swiped over REST
    in the same instant, then it is stored (no loop pass needed in between)."""
    s = Simulation()
    s.configure({"rfid": "Learn"})
    assert s.rest("POST", "/rfid", {"rfid": "04A1B2C3D4E5F6"})[1]["rfid_status"] == "Card Stored"
    assert s.app.rfid.cards.cards() == ["04A1B2C3D4E5F6"]
