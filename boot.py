"""USB drive and storage policy, and the maintenance-mode button (architecture.md "Layout").

Storage: nothing to do. CircuitPython's default is what the product needs: the CIRCUITPY
drive is writable from USB (drag-and-drop updates) and read-only to the code; the firmware
never writes files (settings live in `microcontroller.nvm`). So there is no
`storage.remount()` here.

Maintenance mode: hold the middle button ("O") while the controller powers up or resets,
and `code.py` is skipped for this run: `smartevse/startup/safemode.py` runs as the code file
(contactors open, pilot +12 V, LED red, "maintenance mode" on the display) so a crashing
or busy firmware can be replaced over USB. The choice is not sticky: the next reset (or
the auto-reload after a file is copied) runs `code.py` again, which checks the manifest.
"""
import digitalio
import supervisor

from smartevse.hal import pins

_button = digitalio.DigitalInOut(pins.BUTTON_MIDDLE)
_button.switch_to_input(pull=digitalio.Pull.UP)
if not _button.value:  # pressed: the button pulls to GND
    supervisor.set_next_code_file("smartevse/startup/safemode.py")
    print("boot: O held, maintenance mode")
_button.deinit()
