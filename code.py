"""Device entry point: check the update is complete, then run the firmware (architecture.md).

A drive without `manifest.json` (a development checkout) runs normally. On a mismatch the
safe mode runs instead, and nothing of the firmware beyond safe mode is imported.
The decision itself is `smartevse.startup.safemode.boot` (tested on the host).
"""
from smartevse.startup import safemode


def make_app():
    from smartevse.hal.device_board import DeviceBoard
    from smartevse.app import build_app

    board = DeviceBoard()
    net = getattr(board, "net", None)
    if net is None:
        return build_app(board)
    return build_app(board, net.local_epoch_s, net.serial_nr)


def start_app():
    make_app().loop.run_forever()     # no locals, no App frame: the chains under the loop stay short


def safe_target():
    from smartevse.hal import pins

    return pins


if __name__ == "__main__":
    safemode.boot("/", start_app, safe_target)
