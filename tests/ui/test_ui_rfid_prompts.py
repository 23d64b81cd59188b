"""RFID prompts on the screens: the status line while access is OFF and row 0 of the
RFID editor, from the reader's status text (settings-and-menu.md 3.5, 4.4, 2.4)."""
import pytest

from sim import Simulation
from tests.ui.buttons import enter_menu, go_to, tap


def _stopped(rfid):
    s = Simulation(settings={"RFID": rfid})
    s.plant.buttons.press("left", ms=2200)           # access OFF (2.2)
    s.advance(3)
    return s


def test_access_off_with_a_reader_asks_for_a_card_and_says_when_one_was_refused():
    """Given RFID EnableAll and access OFF, then row 7 reads `PRESENT RFID CARD`; while
    an unknown card is held (status `Invalid`) `INVALID RFID CARD`; once it is taken away
    the prompt returns (3.5, 4.3)."""
    s = _stopped("EnableAll")
    assert s.display_text()[7] == "PRESENT RFID CARD"
    s.plant.rfid.tap("DEADBEEF", hold_s=1.5)         # not on the list
    s.advance(1.2)
    assert s.display_text()[7] == "INVALID RFID CARD"
    s.advance(2)                                     # card gone: ready again
    assert s.display_text()[7] == "PRESENT RFID CARD"


@pytest.mark.parametrize("rfid, line", [("Disabled", "ACCESS DENIED"),
                                        ("Rmt/OCPP", "ACCESS DENIED"),
                                        ("Learn", "PRESENT RFID CARD")])
def test_the_prompt_shows_only_for_readers_1_to_5(rfid, line):
    """Given access OFF, then the card prompt shows for RFID 1..5 and not for Disabled
    or Rmt/OCPP (3.5)."""
    assert _stopped(rfid).display_text()[7] == line


def test_the_rfid_editor_shows_the_last_taps_result_on_row_0():
    """Given RFID in its editor, set to Learn and then Delete, when a card is held on the
    reader, then row 0 shows the editor's texts of 4.4 while it is there: `Card Stored`,
    `Card already stored!`, `Card Deleted`, `Card not in storage!`; blank (code 0) before
    and after."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "RFID")
    tap(s, "ok")
    for _ in range(3):
        tap(s, "right")                              # Learn (4.2)
    s.advance(1.1)
    assert s.display_text()[0] == ""
    rows = []
    for step in range(4):
        if step == 2:
            tap(s, "right")                          # Delete
        s.plant.rfid.present("04A1B2C3")
        s.advance(1.2)
        rows.append(s.display_text()[0])
        s.plant.rfid.remove()
        s.advance(2.2)
        rows.append(s.display_text()[0])
    assert rows == ["Card Stored", "", "Card already stored!", "", "Card Deleted", "",
                    "Card not in storage!", ""]


def test_the_menu_does_not_time_out_while_rfid_is_edited():
    """Given RFID set to Learn in its editor, when no button is pressed for 5 minutes, then
    the menu stays open for cards to be learnt at leisure; out of the editor it times out
    after 120 s (2.5)."""
    s = Simulation()
    enter_menu(s)
    go_to(s, "RFID")
    tap(s, "ok")
    for _ in range(3):
        tap(s, "right")
    s.advance(300)
    assert s.app.menu.active and s.app.settings.values["rfid_reader"] == 3
    tap(s, "ok")
    s.advance(121)
    assert not s.app.menu.active and s.app.settings.values["rfid_reader"] == 0
