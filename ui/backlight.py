"""The OLED's "backlight": panel contrast from the backlight timer (settings-and-menu.md 3.7).

The SSD1306 has no backlight: timer > 1 s full contrast, the last second dimmed, 0 the
minimum (still readable); decision D5: 30 min at 0 in state A without an error, the panel
sleeps; any event wakes it.
"""

from micropython import const

CONTRAST_ON = const(255)
CONTRAST_DIM = const(64)
CONTRAST_OFF = const(1)
SLEEP_AFTER_S = const(1800)


def contrast(backlight_s):
    if backlight_s > 1:
        return CONTRAST_ON
    return CONTRAST_DIM if backlight_s == 1 else CONTRAST_OFF

