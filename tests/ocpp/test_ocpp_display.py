"""The status line while OCPP decides access (settings-and-menu.md 3.5)."""

from tests.ocpp.ocpp_helpers import advance_until, booted


def test_the_status_line_follows_the_connector_status_while_ocpp_decides_access(csms):
    """Given OCPP on with RFID Rmt/OCPP and no card yet (access OFF), then row 7 reads
    `AVAILABLE`; with the EV plugged in `PLEASE AUTHORIZE`; once a known card started the
    transaction the EV charges and the rotation takes over (3.5: the OCPP row comes after
    charging and access ON)."""
    s = booted(csms, settings={"rfid_reader": "Rmt/OCPP"})
    s.advance(2)
    assert s.observe()["access"] == "off" and s.display_text()[7] == "AVAILABLE"
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("B")
    advance_until(s, lambda: s.display_text()[7] == "PLEASE AUTHORIZE", 10)
    s.plant.ev.pilot("C")
    s.plant.rfid.tap("AABBCCDD")
    advance_until(s, lambda: s.observe()["state"] == "Charging", 15)
    s.advance(1.5)
    assert s.display_text()[7] not in ("AVAILABLE", "PLEASE AUTHORIZE", "ACCESS DENIED")
