"""Decides which cards are known: the whitelist of up to 100 UIDs (settings-and-menu.md 4.1, 4.2).

Pure: a list of 100 slots of 7 bytes (empty slot = FF x 7) in one bytearray, kept in its
own power-cut-safe NVM record (smartevse/settings/nvm.py, KIND_RFID) and written at once
on each learn, delete, delete-all and import (6.2). A failed write restores the list as
it was, so memory never claims a card the NVM lost. A slot number is a card's identity
for EnableOne (`card_offset`).
"""

from micropython import const

CARDS_MAX = const(100)
UID_BYTES = const(7)
LIST_BYTES = const(700)                  # CARDS_MAX x UID_BYTES
CARDS_VERSION = const(1)
_EMPTY = b"\xff\xff\xff\xff\xff\xff\xff"

# Status codes of 4.4 (learn and delete answers; 1 and 7 belong to the access taps).
STORED = const(2)
DELETED = const(3)
ALREADY_STORED = const(4)
NOT_STORED = const(5)
STORAGE_FULL = const(6)


def stored_form(uid):
    """The 7 stored bytes of a UID the PN532 read (4.1): 4 bytes + 00 00 00, 7 as is;
    None for any other length (a 10-byte UID is an unknown card, D7)."""
    n = len(uid)
    if n == 4:
        return bytes(uid) + b"\x00\x00\x00"
    if n == UID_BYTES:
        return bytes(uid)
    return None


def parse_hex(text):
    """(7 stored bytes, None) from a UID in hex, or (None, error): 14 chars (7 bytes),
    12 (legacy 6-byte UID + FF), 8 (4-byte UID + 00 00 00, the recommended extension)."""
    text = text.strip()
    n = len(text)
    if n != 8 and n != 12 and n != 14:
        return None, "Invalid RFID length"
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return None, "Invalid RFID hex string"
    if n == 8:
        raw = raw + b"\x00\x00\x00"
    elif n == 12:
        raw = raw + b"\xff"
    if raw == _EMPTY:
        return None, "Invalid RFID hex string"
    return raw, None


def hex_of(card):
    """Upper-case hex of stored bytes: 12 chars for a legacy entry (last byte FF), else 14."""
    if card[6] == 0xFF:
        card = card[:6]
    return "".join("%02X" % b for b in card)


class CardList:
    """The 100 slots and their NVM record (a RecordStore of kind KIND_RFID)."""

    def __init__(self, store):
        self._store = store
        self.slots = bytearray(_EMPTY * CARDS_MAX)
        self.writes = 0

    def load(self):
        """Read the record: "" when all is well, else the message to log. A record that
        is corrupt in both slots is an uninitialised list: erased (4.2), "erased" in it."""
        payload, _version, message = self._store.load()
        if payload is not None and len(payload) == LIST_BYTES:
            self.slots[:] = payload
            return message
        self.slots[:] = _EMPTY * CARDS_MAX
        if payload is not None and (len(payload) == 120 or len(payload) == 600):
            for slot in range(len(payload) // 6):   # legacy 20 or 100 x 6 bytes: + FF (4.2)
                self.slots[slot * UID_BYTES:slot * UID_BYTES + 6] = payload[slot * 6:slot * 6 + 6]
            return message
        if payload is None and "corrupt" not in message:
            return ""                               # never written: an empty list
        self._store.erase()                         # both slots blank: no message next boot
        return "RFID list corrupt: erased"

    def find(self, card):
        """The slot of `card` (7 stored bytes), or -1. A legacy entry (6 bytes + FF)
        matches on its first 6 bytes (4.1)."""
        slots = self.slots
        for slot in range(CARDS_MAX):
            at = slot * UID_BYTES
            legacy = slots[at + 6] == 0xFF
            end = 6 if legacy else UID_BYTES
            for i in range(end):
                if slots[at + i] != card[i]:
                    break
            else:
                if not (legacy and slots[at:at + UID_BYTES] == _EMPTY):
                    return slot
        return -1

    def cards(self):
        """The stored cards in slot order, as hex (REST, the rfid.txt export)."""
        slots = self.slots
        found = []
        for slot in range(CARDS_MAX):
            card = slots[slot * UID_BYTES:(slot + 1) * UID_BYTES]
            if card != _EMPTY:
                found.append(hex_of(card))
        return found

    def learn(self, card):
        """Store `card` in the first empty slot: STORED, ALREADY_STORED or STORAGE_FULL."""
        if self.find(card) >= 0:
            return ALREADY_STORED
        slots = self.slots
        for slot in range(CARDS_MAX):
            at = slot * UID_BYTES
            if slots[at:at + UID_BYTES] == _EMPTY:
                before = bytes(slots)
                slots[at:at + UID_BYTES] = card
                self._save(before)
                return STORED
        return STORAGE_FULL

    def delete(self, card):
        """Empty the slot of `card`: DELETED or NOT_STORED."""
        slot = self.find(card)
        if slot < 0:
            return NOT_STORED
        before = bytes(self.slots)
        self.slots[slot * UID_BYTES:(slot + 1) * UID_BYTES] = _EMPTY
        self._save(before)
        return DELETED

    def replace(self, cards):
        """The list becomes `cards` (a list of stored forms, at most 100), slot 0 on."""
        if len(cards) > CARDS_MAX:
            raise ValueError("at most 100 cards")
        before = bytes(self.slots)
        self.slots[:] = _EMPTY * CARDS_MAX
        for slot, card in enumerate(cards):
            self.slots[slot * UID_BYTES:(slot + 1) * UID_BYTES] = card
        self._save(before)

    def erase(self):
        """Delete every card (DeleteAll, 4.3)."""
        self.replace([])

    def _save(self, before):
        # One slice write of the whole record into the other slot (nvm.py): a power cut
        # mid-write leaves the previous list whole. A write error undoes the change.
        try:
            self._store.save(bytes(self.slots), CARDS_VERSION)
        except (OSError, RuntimeError):
            self.slots[:] = before
            raise
        self.writes += 1
