"""POST /reboot, /erasesettings and /cablelock (interfaces.md 1.10, 1.12, 1.18, 0.3)."""

# Reboot and erase are POST-only (0.3: no GET changes state). Both wait while the EV
# charges (state C) and act 5 s after it stopped, so a reboot never opens the contactors
# under load; a reboot flushes pending settings first, an erase blanks the whole NVM
# (settings, RFID list, session records) instead. The countdown is its own 1 s loop
# service, registered on the first request; `board.reset()` restarts the controller.

from micropython import const

from smartevse.core.states import STATE_C
from smartevse.settings.changes import SOURCE_REST

_DELAY_S = const(5)
WAIT_TEXT = ("Reboot scheduled: Device will reboot 5 seconds after the EV stops "
             "charging...")
NOW_TEXT = "Device will reboot in 5 seconds..."
ERASE_TEXT = "Erasing settings, rebooting"


class Restart:
    """The pending reboot: 5 s after the last second in state C."""

    def __init__(self, app):
        self.app = app
        self.erase = False
        self.left_s = _DELAY_S + 1     # the first step runs at once

    def step(self, now_ms):
        app = self.app
        if app.evse.state == STATE_C:
            self.left_s = _DELAY_S
            return
        self.left_s -= 1
        if self.left_s > 0:
            return
        if self.erase:
            nvm = app.board.nvm
            nvm[0:len(nvm)] = b"\xff" * len(nvm)
        else:
            app.save_now()
        app.board.reset()


def schedule(app, erase):
    """Start (or join) the pending reboot."""
    restart = getattr(app, "restart", None)
    if restart is None:
        restart = app.restart = Restart(app)
        app.loop.add(1000, restart.step)
    restart.erase = restart.erase or erase
    return restart


def post_reboot(app, params, body):
    schedule(app, False)
    if app.evse.state == STATE_C:
        return 202, WAIT_TEXT
    return 200, NOW_TEXT


def post_erase_settings(app, params, body):
    schedule(app, True)
    return 200, ERASE_TEXT


def post_cablelock(app, params, body):
    """`/cablelock?1` keeps the cable locked, any other query clears it (1.12)."""
    value = 1 if "1" in params else 0
    app.apply_settings({"cablelock": value}, SOURCE_REST)
    app.request_save()
    return 200, {"cablelock": app.settings.values["cablelock"]}
