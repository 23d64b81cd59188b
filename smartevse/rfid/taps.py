"""Decides what a card tap does to access (settings-and-menu.md 4.3, charging.md 9.2).

Pure: the RFID setting, the card's slot in the whitelist (-1 = unknown), access and the
remembered EnableOne slot in; the status code (4.4) and the access and slot to set out.
Learn and Delete change the list, not access: the service asks `cards` for those.
"""

from micropython import const

from smartevse.core.states import (ACCESS_OFF, ACCESS_ON, RFID_ENABLE_ALL, RFID_ENABLE_ONE,
                                   RFID_REMOTE)

READY = const(0)
PRESENT = const(1)
INVALID = const(7)
NO_CHANGE = const(-1)

# 4.4: REST/MQTT text and the RFID editor's row 0 text of each status code.
STATUS_TEXTS = ("Ready to read card", "Present", "Card Stored", "Card Deleted",
                "Card already stored", "Card not in storage", "Card Storage full", "Invalid")
EDITOR_TEXTS = ("", "", "Card Stored", "Card Deleted", "Card already stored!",
                "Card not in storage!", "Card storage full!", "")
NOT_INSTALLED = "Not Installed"


def decide(reader, slot, access, card_offset):
    """(status, access or NO_CHANGE, card_offset or NO_CHANGE) of a tap in EnableAll,
    EnableOne or Rmt/OCPP. slot: the card's whitelist slot, -1 when unknown."""
    if reader == RFID_REMOTE:
        return PRESENT, NO_CHANGE, NO_CHANGE        # the UID goes to OCPP (interfaces.md 3.6)
    if slot < 0:
        return INVALID, NO_CHANGE, NO_CHANGE
    if reader == RFID_ENABLE_ALL:                   # ON -> OFF, OFF or PAUSE -> ON
        return PRESENT, ACCESS_OFF if access == ACCESS_ON else ACCESS_ON, NO_CHANGE
    if reader == RFID_ENABLE_ONE:
        if access == ACCESS_OFF:                    # this card now owns the session
            return PRESENT, ACCESS_ON, slot
        if slot == card_offset:                     # only the owner ends it
            return PRESENT, ACCESS_OFF, NO_CHANGE
        return PRESENT, NO_CHANGE, NO_CHANGE
    return PRESENT, NO_CHANGE, NO_CHANGE
