"""Tap to charge: the PN532 whitelist in the simulator (settings-and-menu.md 4, charging.md
9.2, 12 D1/D4; the simulated PN532 speaks the frame protocol to the real driver)."""

import pytest

from sim import Simulation

CARD_A = "04A1B2C3"
CARD_B = "04D5E6F7"
CARD_7 = "04112233445566"


def simulation(settings):
    """A controller with its reader detected (firmware and SAM exchanges: 0.5 s)."""
    s = Simulation(settings=settings)
    s.advance(1.0)
    return s


def upload(s, lines):
    text = "".join(line + "\n" for line in lines)
    return s.rest("POST", "/update", params={"file": "rfid.txt", "offset": 0, "size": len(text)},
                  body=text)


def waiting_ev(setting="EnableAll", cards=(CARD_A, CARD_B, CARD_7), lock="Solenoid"):
    """RFID on with a whitelist, access OFF, an EV plugged in and asking to charge."""
    s = Simulation(settings={"rfid": setting, "lock": lock})
    assert upload(s, cards)[0] == 200
    s.configure({"access": "OFF"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(2.0)
    o = s.observe()
    assert not o["contactor1"] and o["access"] == "off"
    return s


def tap(s, uid, seconds=1.0, hold_s=0.5):
    s.plant.rfid.tap(uid, hold_s=hold_s)
    s.advance(seconds)
    return s.observe()


def test_a_known_card_starts_charging_for_a_waiting_ev():
    """Given EnableAll, a stored card and an EV waiting with access OFF, when the card is
    tapped, then access is ON and the contactors close within 5 s (4.3, charging.md 2.4)."""
    s = waiting_ev()
    o = tap(s, CARD_A, seconds=5.0)
    assert o["access"] == "on" and o["contactor1"] and o["state"] == "Charging"
    assert s.rest("GET", "/settings")[1]["evse"]["rfid_lastread"] == "04A1B2C3000000"


def test_an_unknown_card_is_refused_and_said_on_the_display():
    """Given EnableAll and an EV waiting, when an unknown card is held, then status Invalid,
    row 7 INVALID RFID CARD, no charging; once it is taken away, Ready to read card and
    PRESENT RFID CARD (3.5, 4.3, 4.4)."""
    s = waiting_ev()
    s.plant.rfid.present("04998877")
    s.advance(1.5)
    o = s.observe()
    assert o["rfid_status"] == "Invalid" and o["display_text"][7] == "INVALID RFID CARD"
    assert o["access"] == "off" and not o["contactor1"]
    s.plant.rfid.remove()
    s.advance(1.5)
    o = s.observe()
    assert o["rfid_status"] == "Ready to read card" and o["display_text"][7] == "PRESENT RFID CARD"


def test_enable_all_a_second_tap_stops_charging():
    """Given EnableAll while charging, when a stored card is tapped, then access OFF and the
    contactors open (C -> C1, 4.3); holding the card does not toggle again."""
    s = waiting_ev()
    tap(s, CARD_7, seconds=5.0)
    assert s.observe()["contactor1"]
    o = tap(s, CARD_B, seconds=3.0, hold_s=2.5)
    assert o["access"] == "off" and not o["contactor1"]


def test_enable_one_ties_the_session_to_its_card():
    """Given EnableOne, when card A starts the session, then another stored card does
    nothing, card A stops it, and the socket's cable unlocks once the contactors are open
    with the EV still plugged (4.3 cable lock, charging.md 12 D4)."""
    s = waiting_ev("EnableOne")
    o = tap(s, CARD_B, seconds=5.0)
    assert o["contactor1"] and o["lock"] == "locked"
    assert s.app.settings.values["card_offset"] == 1          # CARD_B's slot
    o = tap(s, CARD_A, seconds=2.0)
    assert o["access"] == "on" and o["contactor1"]
    o = tap(s, CARD_B, seconds=10.0)
    assert o["access"] == "off" and not o["contactor1"] and o["lock"] == "unlocked"


def test_access_ends_with_the_session_and_the_next_ev_needs_a_card():
    """Given EnableAll and a card-started session, when the EV leaves, then access is OFF
    (charging.md 12 D1) and the next EV waits until a card is tapped."""
    s = waiting_ev()
    tap(s, CARD_A, seconds=5.0)
    s.plant.ev.pilot("A")
    s.advance(2.0)
    assert s.observe()["access"] == "off"
    s.plant.ev.pilot("C")
    s.advance(5.0)
    assert not s.observe()["contactor1"]
    assert tap(s, CARD_A, seconds=5.0)["contactor1"]


def test_access_without_a_car_goes_off_after_60_s():
    """Given EnableAll and no car, when a card gives access, then it goes OFF again 60 s
    later (4.3 unlock timeout)."""
    s = simulation({"rfid": "EnableAll"})
    upload(s, [CARD_A])
    s.configure({"access": "OFF"})
    assert tap(s, CARD_A)["access"] == "on"
    s.advance(55.0)
    assert s.observe()["access"] == "on"
    s.advance(6.0)
    assert s.observe()["access"] == "off"


def test_learn_and_delete_show_their_messages():
    """Given RFID Learn, when a card is tapped twice, then Card Stored then Card already
    stored (row 0 texts Card Stored / Card already stored!); in Delete, Card Deleted then
    Card not in storage (4.3, 4.4); the list holds what was learnt."""
    s = simulation({"rfid": "Learn"})
    seen = []
    for setting in ("Learn", "Delete"):
        s.configure({"rfid": setting})
        for _ in range(2):
            s.plant.rfid.tap(CARD_7, hold_s=0.5)
            s.advance(0.3)
            seen.append((s.observe()["rfid_status"], s.app.rfid_editor_text))
            if setting == "Learn":
                assert s.app.rfid.cards.cards() == ["04112233445566"]
            s.advance(1.0)
            assert s.observe()["rfid_status"] == "Ready to read card"
    assert seen == [("Card Stored", "Card Stored"), ("Card already stored", "Card already stored!"),
                    ("Card Deleted", "Card Deleted"), ("Card not in storage", "Card not in storage!")]
    assert s.app.rfid.cards.cards() == []


def test_the_101st_card_is_refused_and_the_100_survive_a_power_cut():
    """Given 100 stored cards, when a 101st is learnt, then Card Storage full (row 0 Card
    storage full!) and after a power cut the 100 are there and it is not (4.2, 4.4)."""
    s = simulation({"rfid": "Learn"})
    cards = ["04%06X" % n for n in range(100)]
    assert upload(s, cards)[0] == 200
    s.plant.rfid.tap("04FFFFFE")
    s.advance(0.3)
    assert s.observe()["rfid_status"] == "Card Storage full"
    assert s.app.rfid_editor_text == "Card storage full!"
    s.power_cut()
    s.power_on()
    assert s.app.rfid.cards.cards() == [c + "000000" for c in cards]


def test_a_power_cut_at_every_byte_while_learning_loses_no_earlier_card():
    """Given two learnt cards, when the write that learns a third is cut at every byte
    offset, then every boot finds the two earlier cards (settings-and-menu.md 4.2, 6)."""
    s = simulation({"rfid": "Learn"})
    for uid in (CARD_A, CARD_B):
        tap(s, uid)
    before = bytes(s.nvm)
    tap(s, CARD_7)
    after = bytes(s.nvm)
    changed = [i for i in range(len(before)) if before[i] != after[i]]
    assert len(changed) >= 10
    earlier = [CARD_A + "000000", CARD_B + "000000"]
    for k in range(changed[0], changed[-1] + 2):
        t = Simulation(nvm=after[:k] + before[k:])
        assert t.app.rfid.cards.cards()[:2] == earlier


def test_an_nvm_that_fails_while_learning_keeps_the_earlier_cards():
    """Given a stored card, when the NVM write fails while another is learnt, then it is
    not claimed stored, the NVM error is counted, charging logic goes on, and after a
    power cut the earlier card is there (architecture.md Errors)."""
    s = simulation({"rfid": "Learn"})
    tap(s, CARD_A)
    s.fail_part("nvm", OSError(5, "EIO"))
    o = tap(s, CARD_B, seconds=0.3)
    assert o["rfid_status"] != "Card Stored" and o["peripheral_errors"]["nvm"] >= 1
    assert o["fault"] is None
    s.fail_part("nvm", None)
    s.power_cut()
    s.power_on()
    assert s.app.rfid.cards.cards() == [CARD_A + "000000"]


def test_delete_all_erases_the_list_and_disables_rfid():
    """Given stored cards, when RFID is set to DeleteAll, then the list is empty after the
    save, RFID is Disabled and the status Not Installed (1.3, 1.4 rule 3)."""
    s = simulation({"rfid": "EnableAll"})
    upload(s, [CARD_A, CARD_B])
    s.configure({"rfid": "DeleteAll"})
    s.advance(0.5)
    assert s.app.rfid.cards.cards() == []
    assert s.app.settings.values["rfid_reader"] == 0
    assert s.observe()["rfid_status"] == "Not Installed"
    s.power_cut()
    s.power_on()
    assert s.app.rfid.cards.cards() == []


def test_disabled_reader_is_not_polled_and_not_installed():
    """Given RFID Disabled, when a card is held, then the reader is not polled, the status
    is Not Installed (4.3 row 0) and the RFID service is not even built (heap); once RFID
    is EnableAll, the reader is found within a second (4.1)."""
    s = Simulation()
    s.plant.rfid.present(CARD_A)
    s.advance(3.0)
    assert s.plant.rfid.commands == 0 and s.app.rfid is None
    assert s.observe()["rfid_status"] == "Not Installed"
    assert s.rest("GET", "/settings")[1]["evse"]["rfid"] == "Not Installed"
    s.configure({"rfid": "EnableAll"})
    s.advance(1.0)
    assert s.observe()["rfid_status"] == "Invalid"            # the card held is not stored
    s.plant.rfid.remove()
    s.advance(1.0)
    assert s.observe()["rfid_status"] == "Ready to read card"
    assert upload(s, [CARD_B]) == (200, len(CARD_B) + 1)
    s.configure({"rfid": "Disabled"})
    s.advance(1.0)
    commands = s.plant.rfid.commands
    s.advance(3.0)
    assert s.plant.rfid.commands == commands and s.observe()["rfid_status"] == "Not Installed"


def test_an_unplugged_reader_grants_nothing_and_charging_goes_on():
    """Given a card-started session, when the reader is unplugged, then within 3 s the
    status is Not Installed, charging goes on, a tap does nothing, and plugged back the
    reader is found again (bad input: reader unplugged mid-session)."""
    s = waiting_ev()
    tap(s, CARD_A, seconds=5.0)
    s.plant.rfid.unplug()
    s.advance(3.0)
    o = tap(s, CARD_A, seconds=2.0)
    assert o["rfid_status"] == "Not Installed" and o["contactor1"] and o["fault"] is None
    assert not o["rfid"]["installed"] and o["rfid"]["errors"] >= 3
    assert o["rfid"]["last_error"] == "BusyError: No data read from PN532"
    s.plant.rfid.plug()
    s.advance(10.0)
    o = s.observe()
    assert o["rfid_status"] == "Ready to read card" and o["rfid"]["installed"]


def test_a_reader_absent_from_boot_shows_not_installed():
    """Given no PN532 answering from power-on, when RFID is EnableAll, then Not Installed,
    no access from any tap, the loop keeps running (bad input: reader absent)."""
    s = simulation({"rfid": "EnableAll"})
    upload(s, [CARD_A])
    s.plant.rfid.unplug()
    s.power_cut()
    s.power_on()
    s.configure({"access": "OFF"})
    o = tap(s, CARD_A, seconds=5.0)
    assert o["rfid_status"] == "Not Installed" and o["access"] == "off" and o["fault"] is None
    assert s.app.rfid.reader.errors >= 1


@pytest.mark.parametrize("fault", [{"bad_checksum": 2}, {"nack": 2}, {"silent": 2}])
def test_bad_frames_grant_nothing_until_a_good_read(fault):
    """Given EnableAll, an EV waiting and a stored card held on the reader from power-on,
    when the reader's first answers have bad checksums, are NACKs or are missing, then no
    access from them; the card is read correctly afterwards and grants access once, and
    the loop never faults (bad input)."""
    s = Simulation(settings={"rfid": "EnableAll"})
    upload(s, [CARD_A])
    s.configure({"access": "OFF"})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.plant.rfid.faults(**fault)
    s.plant.rfid.present(CARD_A)
    s.advance(0.6)
    assert s.observe()["access"] == "off" and s.app.rfid.reader.errors >= 1
    s.advance(8.0)
    o = s.observe()
    assert o["access"] == "on" and o["contactor1"] and o["fault"] is None
    assert s.app.rfid.taps == 1


def test_a_ten_byte_uid_is_an_unknown_card():
    """Given Learn, when a 10-byte UID is tapped, then it is not stored and the status is
    Invalid (decision D7)."""
    s = simulation({"rfid": "Learn"})
    s.plant.rfid.tap("0102030405060708090A")
    s.advance(0.3)
    assert s.observe()["rfid_status"] == "Invalid" and s.app.rfid.cards.cards() == []


def test_rmt_ocpp_passes_the_card_on_without_changing_access():
    """Given Rmt/OCPP, when a card is tapped, then status Present, the UID is the last
    read and access is left to OCPP (4.3 row 6)."""
    s = simulation({"rfid": "Rmt/OCPP"})
    s.configure({"access": "OFF"})
    o = tap(s, CARD_7, seconds=0.3)
    assert o["rfid_status"] == "Present" and o["access"] == "off"
    assert s.app.rfid_lastread == "04112233445566"


def test_the_rfid_editor_shows_the_learn_result_on_row_0_and_does_not_time_out():
    """Given the RFID item edited to Learn in the menu, when a card is held, then row 0
    reads `Card Stored`; held again, `Card already stored!`; 150 s without a button do not
    leave the menu (2.4, 2.5, 4.4)."""
    from tests.ui.buttons import enter_menu, go_to, tap as press, value

    s = simulation({"rfid": "Disabled"})
    enter_menu(s)
    go_to(s, "RFID")
    press(s, "ok")
    for _ in range(3):
        press(s, "right")
    assert value(s) == "Learn"
    s.advance(1.0)                            # the reader is found (0.5 s)
    s.plant.rfid.present(CARD_A)
    s.advance(1.2)                            # the screen is drawn each second
    assert s.display_text()[0] == "Card Stored"
    s.plant.rfid.remove()
    s.advance(1.2)
    assert s.display_text()[0] == ""
    s.plant.rfid.present(CARD_A)
    s.advance(150.0)
    assert s.display_text()[0] == "Card already stored!" and value(s) == "Learn"
    assert s.app.rfid.cards.cards() == [CARD_A + "000000"]


def test_the_led_follows_access_and_greys_on_a_card_read_with_ocpp():
    """Given EnableAll with the EV waiting, when a stored card is tapped, then the LED goes
    from the access-OFF colour (dark) to the mode colour; given OCPP with Rmt/OCPP, a tap
    shows grey 128, 128, 128 for 200 ms (settings-and-menu.md 5.2)."""
    s = waiting_ev()
    assert s.observe()["led"] == (0, 0, 0)
    tap(s, CARD_A, seconds=5.0)
    assert s.observe()["led"] != (0, 0, 0)
    s = simulation({"rfid": "Rmt/OCPP", "ocpp_mode": "On"})
    s.plant.rfid.tap(CARD_A)
    greys = []
    for _ in range(40):
        s.advance(0.02)
        greys.append(s.observe()["led"] == (128, 128, 128))
    assert 8 <= sum(greys) <= 12 and not greys[-1]


def test_a_card_list_corrupt_at_boot_is_erased_and_rfid_disabled():
    """Given RFID EnableAll saved and both RFID record slots garbage, when the controller
    boots, then the list is empty, RFID is Disabled and the log says the list was erased
    (4.2: an uninitialised list)."""
    from smartevse import log
    from smartevse.settings.nvm import RFID_OFFSET, RFID_SLOT_SIZE

    s = simulation({"rfid": "EnableAll"})
    nvm = bytearray(s.nvm)
    nvm[RFID_OFFSET:RFID_OFFSET + 2 * RFID_SLOT_SIZE] = bytes(range(256)) * 6
    t = Simulation(nvm=bytes(nvm))
    assert t.app.settings.values["rfid_reader"] == 0 and t.app.rfid.cards.cards() == []
    assert any("RFID list corrupt" in line for line in log.recent())


def test_a_tap_in_enable_all_lights_the_panel():
    """Given EnableAll and a dark panel (backlight timer run out), when a stored card is
    tapped, then the backlight timer is 120 s again (3.7, 4.3)."""
    s = simulation({"rfid": "EnableAll"})
    upload(s, [CARD_A])
    s.advance(125.0)
    assert s.app.backlight_s == 0
    tap(s, CARD_A, seconds=0.3)
    assert s.app.backlight_s >= 119
