"""The RFID reader's MQTT fields (interfaces.md 2.3, settings-and-menu.md 4.4; issue 12
item 4), as the firmware publishes them (`Simulation.mqtt_published`)."""

from sim import Simulation

PREFIX = "SmartEVSE/51446/"


def test_a_tap_publishes_the_reader_status_and_the_card_read():
    """Given RFID Learn, when card 04A1B2C3 is held on the reader through a publishing
    cycle (about 11 s), then `RFID` reads `Card Stored` and `RFIDLastRead` the card in its
    stored 14-character form; with RFID Disabled `RFID` reads `Not Installed`."""
    s = Simulation(settings={"RFID": "Learn"})
    s.advance(2)
    s.plant.rfid.present("04A1B2C3")
    s.advance(12)
    published = s.mqtt_published()
    assert published[PREFIX + "RFID"] == "Card Stored"
    assert published[PREFIX + "RFIDLastRead"] == "04A1B2C3000000"
    s.plant.rfid.remove()
    s.configure({"RFID": "Disabled"})
    s.advance(13)
    assert s.mqtt_published()[PREFIX + "RFID"] == "Not Installed"
