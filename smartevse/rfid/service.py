"""The RFID service: reader events in, the whitelist and access decisions applied
(settings-and-menu.md 4, charging.md 9.2).

A top-level 100 ms loop service of its own (architecture.md "The cooperative loop"), so
its call chain stays flat. The PN532 driver is imported when the reader is first
enabled: a controller with RFID Disabled never loads it. What a person sees is kept on
the app: `rfid_status` (code of 4.4), `rfid_status_text` (REST/MQTT), `rfid_editor_text`
(row 0 while RFID is edited) and `rfid_lastread` (hex UID).
"""

from micropython import const

from smartevse import log
from smartevse.core.states import (RFID_DELETE, RFID_DELETE_ALL, RFID_DISABLED, RFID_ENABLE_ALL,
                                   RFID_ENABLE_ONE, RFID_LEARN, RFID_REMOTE)
from smartevse.health import NVM
from smartevse.rfid import taps
from smartevse.rfid.cards import CardList, hex_of, stored_form
from smartevse.settings.nvm import KIND_RFID, RFID_OFFSET, RFID_SLOT_SIZE, RecordStore

_BACKLIGHT_S = const(120)                 # a tap in EnableAll/EnableOne lights the panel (4.3)
_CARD = const(1)                          # smartevse/rfid/reader.py events
_GONE = const(2)


class RfidService:
    """The whitelist, the reader (once enabled) and the tap rules on one app."""

    def __init__(self, app, uart):
        self._app = app
        self._uart = uart
        self.reader = None
        self.cards = CardList(RecordStore(app.board.nvm, RFID_OFFSET, RFID_SLOT_SIZE, KIND_RFID))
        self.taps = 0
        self._swiped = False                  # a REST swipe's status, reset at the next step
        try:
            message = self.cards.load()
        except (OSError, RuntimeError) as exc:   # an erase that could not be written
            message = "RFID list unreadable: {}".format(exc)
        if message:
            log.warning(message)
            if app.settings.values["rfid_reader"] != RFID_DISABLED:
                app.settings.store("rfid_reader", RFID_DISABLED)   # uninitialised list (4.2)
        app.rfid_status = taps.READY
        app.rfid_editor_text = ""
        app.rfid_lastread = ""

    def step(self, now_ms):
        """100 ms: erase when DeleteAll was validated, poll the reader when enabled."""
        app = self._app
        settings = app.settings
        if settings.rfid_erase_pending and app.health.ready(NVM, now_ms):
            self._erase(now_ms)
        setting = settings.values["rfid_reader"]
        reader = self.reader
        if setting == RFID_DISABLED or setting == RFID_DELETE_ALL:
            if reader is not None and reader.installed:
                reader.reset()                # not polled (4.3); detected again when enabled
            self._show(taps.READY, False)
            return
        if reader is None:
            from smartevse.rfid.reader import Pn532Reader    # the driver, once enabled
            reader = self.reader = Pn532Reader(self._uart)
        event = reader.step(now_ms)
        status = app.rfid_status
        if event == _CARD:
            uid = reader.uid
            card = stored_form(uid)
            self.tap(card, hex_of(card) if card is not None else "".join("%02X" % b for b in uid))
            return
        if event == _GONE or (self._swiped and not reader.card):
            self._swiped = False
            status = taps.READY               # no card found: ready again (4.3)
        self._show(status, reader.installed)

    def swipe(self, card, uid_hex):
        """A card swipe from REST (interfaces.md 1.9): the normal card logic."""
        self._swiped = True
        self.tap(card, uid_hex)

    def tap(self, card, uid_hex):
        """A card arrived (7 stored bytes, or None for a UID that cannot be stored): run
        the action of the RFID setting once (4.3)."""
        app = self._app
        values = app.settings.values
        setting = values["rfid_reader"]
        app.rfid_lastread = uid_hex
        self.taps += 1
        if setting == RFID_LEARN or setting == RFID_DELETE:
            status = self._change_list(setting, card)
        else:
            slot = self.cards.find(card) if card is not None else -1
            status, access, slot = taps.decide(setting, slot, app.evse.access,
                                               values["card_offset"])
            if slot != taps.NO_CHANGE:
                app.settings.store("card_offset", slot)       # EnableOne: the owner (4.3)
            if access != taps.NO_CHANGE:
                app.change_access(access)
                app.apply_outputs()                           # C -> C1 in this pass
            if setting == RFID_ENABLE_ALL or setting == RFID_ENABLE_ONE:
                app.backlight_s = _BACKLIGHT_S
            elif setting == RFID_REMOTE:
                app.led.ocpp_notify("card")                   # grey 200 ms with OCPP (5.2)
            if app.ocpp is not None:                          # OCPP decides or reports (3.6)
                app.ocpp.authorize(uid_hex)
        self._show(status, True)

    def _change_list(self, setting, card):
        if card is None:
            return taps.INVALID                               # a 10-byte UID (D7)
        try:
            if setting == RFID_LEARN:
                return self.cards.learn(card)
            return self.cards.delete(card)
        except (OSError, RuntimeError) as exc:               # the list stays as it was
            app = self._app
            app.health.failed(NVM, exc, app.board.ticks_ms())
            log.warning("RFID list not written: {}".format(exc))
            return taps.READY

    def _erase(self, now_ms):
        app = self._app
        try:
            self.cards.erase()
        except (OSError, RuntimeError) as exc:
            app.health.failed(NVM, exc, now_ms)
            return
        app.settings.rfid_erase_pending = False
        log.info("RFID list erased")

    def _show(self, status, installed):
        app = self._app
        if app.rfid_status != status:
            app.rfid_status = status
            app.rfid_editor_text = taps.EDITOR_TEXTS[status]
        text = taps.STATUS_TEXTS[status] if installed else taps.NOT_INSTALLED
        if app.rfid_status_text is not text:
            app.rfid_status_text = text
