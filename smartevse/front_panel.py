"""The front panel: keypad events into the menu, the menu's decisions carried out
(settings-and-menu.md 2.1, 2.5)."""

from micropython import const

from smartevse import log
from smartevse.hal.keys import KeyReader
from smartevse.settings import changes as changes_path
from ui.menu import Menu

_ACT_SET = const(1)                       # ui/menu.py ACT_SET, ACT_SAVE, ACT_RELOAD,
_ACT_SAVE = const(2)                      # ACT_SET_SAVE
_ACT_RELOAD = const(3)
_ACT_SET_SAVE = const(4)


class FrontPanel:
    """Two 10 ms services of the app: `tick_buttons` (events in), `tick_action`."""

    def __init__(self, app, events):
        self.app = app
        self.menu = Menu(app)
        self._keys = KeyReader(events)

    def tick_buttons(self, now_ms):
        # Events with their timestamps, then time passes; nothing is allocated while no
        # key changes. Events wait while an action does.
        menu = self.menu
        keys = self._keys
        while not menu.action and keys.read():
            menu.key(keys.key, keys.pressed, keys.timestamp_ms)
        if not menu.action:
            menu.tick(now_ms)

    def tick_action(self, now_ms):
        # The menu's decision, in the same pass, as its own service: the settings path
        # starts as shallow as from REST (pystack, docs/architecture.md "Device budget").
        menu = self.menu
        action = menu.action
        if not action:
            return
        menu.action = 0
        app = self.app
        if action == _ACT_SET or action == _ACT_SET_SAVE:
            changes_path.apply(app.settings, {menu.set_key: menu.set_value}, app)
            app.apply_outputs()
            if action == _ACT_SET_SAVE:
                app.save_now()
        elif action == _ACT_SAVE:
            self.leave_menu()
        elif action == _ACT_RELOAD:
            self.reload_settings()

    def leave_menu(self):
        """`O` on EXIT (2.5): LESS_6A and the charge delay cleared, settings validated
        and written at once."""
        # The other error flags clear themselves when their cause is gone (RCM_TRIPPED by
        # the button rule of 2.1): clearing them here could let a charge resume for up to
        # a second while the board is still hot or a meter still silent.
        app = self.app
        app.events |= app.evse.clear_shortage()
        for text in app.settings.apply_rules():
            app.note(text)
        app.save_now()
        log.info("menu: settings saved")

    def reload_settings(self):
        """Menu timeout (2.5): flash reloaded, the live edits undone with their effects."""
        app = self.app
        settings = app.settings
        before = dict(settings.values)
        app.persist.boot()
        values = settings.values
        for key in before:
            if before[key] != values[key]:
                if key == "mode":                 # the core's command from the old mode
                    stored = values[key]
                    settings.set(key, before[key])
                    app.change_mode(stored)
                elif key == "access":
                    app.change_access(values[key])
                else:
                    app.setting_changed(key)
        app.apply_outputs()
        log.info("menu: timeout, settings reloaded")
