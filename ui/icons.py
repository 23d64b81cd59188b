"""Code points of the status icons drawn by the small font (settings-and-menu.md 3.1).

Unicode characters that name what they show, so a screen's text reads the same in the
simulator and the web mirror as on the panel. Kept apart from ui/font.py so the text
models (ui/status.py, ui/menu.py) need no displayio.
"""

ICON_STOPPED = "\u25a0"     # filled square: access OFF
ICON_PAUSED = "\u2016"      # two bars: access PAUSE
ICON_NORMAL = "\u26a1"      # lightning bolt
ICON_SOLAR = "\u2600"       # sun
ICON_SMART = "\u2194"       # double arrow
DEGREE = "\u00b0"           # degree sign, e.g. "31\u00b0C"

# In the order of the icon columns in ui/font.py.
ICONS = ICON_STOPPED + ICON_PAUSED + ICON_NORMAL + ICON_SOLAR + ICON_SMART + DEGREE
