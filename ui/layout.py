"""Screen layouts: text slots per layout, and a Screen's texts (settings-and-menu.md 3.1, 2.6).

Pure. A layout is a table of text slots `(row, scale, align, x)` and the y of its
horizontal lines; the screen models fill a `Screen` (a layout and one string per slot),
`ui/oled.py` draws it and `text_lines()` gives the same content as 8 rows of text for
the simulator and the web mirror.
"""

from micropython import const

ROW_CHARS = const(21)          # small font: 21 x 6 px in 128 px

ALIGN_LEFT = const(0)
ALIGN_RIGHT = const(1)
ALIGN_CENTRE = const(2)
ALIGN_FRAMED = const(3)        # menu: first char at x = 0, last at 120, the rest centred (2.6)

# One tuple per layout: (slots, horizontal lines at these y). A slot is
# (row, scale, align, x): small text (scale 1) on row r covers y = 8r..8r+7, big text
# (scale 2) rows r and r+1. Right-aligned text ends its 6 px cell at x = 128, so its ink
# ends on column 126 as the original's right alignment at 127 did.
LAYOUT_STATUS = const(0)
LAYOUT_BIG = const(1)
LAYOUT_NOTE = const(2)
LAYOUT_MENU = const(3)
LAYOUT_MENU_HELP = const(4)
LAYOUT_HOLD = const(5)
LAYOUT_PHASES = const(6)
LAYOUTS = (
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 1, ALIGN_LEFT, 0),
      (3, 1, ALIGN_LEFT, 0), (4, 1, ALIGN_LEFT, 0), (5, 1, ALIGN_LEFT, 0),
      (7, 1, ALIGN_LEFT, 0)), (10, 52)),
    (((0, 2, ALIGN_CENTRE, 64), (2, 2, ALIGN_CENTRE, 64), (4, 2, ALIGN_CENTRE, 64),
      (6, 2, ALIGN_CENTRE, 64)), ()),
    (((0, 2, ALIGN_CENTRE, 64), (3, 1, ALIGN_LEFT, 0), (4, 1, ALIGN_LEFT, 0),
      (5, 1, ALIGN_LEFT, 0), (6, 1, ALIGN_LEFT, 0), (7, 1, ALIGN_LEFT, 0)), (20,)),
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 2, ALIGN_FRAMED, 0),
      (4, 2, ALIGN_FRAMED, 0), (7, 1, ALIGN_LEFT, 0), (7, 1, ALIGN_RIGHT, 128)), (10, 52)),
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 2, ALIGN_LEFT, 2),
      (4, 2, ALIGN_FRAMED, 0), (7, 1, ALIGN_LEFT, 0), (7, 1, ALIGN_RIGHT, 128)), (10, 52)),
    (((2, 2, ALIGN_CENTRE, 64), (4, 2, ALIGN_CENTRE, 64)), (10, 52)),
    (((0, 1, ALIGN_LEFT, 0), (0, 1, ALIGN_RIGHT, 128), (2, 1, ALIGN_LEFT, 4),
      (3, 1, ALIGN_LEFT, 4), (4, 1, ALIGN_LEFT, 4), (5, 1, ALIGN_LEFT, 4),
      (7, 1, ALIGN_LEFT, 0)), (10, 52)),
)


class Screen:
    """A layout and the text of each of its slots."""

    def __init__(self, layout):
        self.layout = layout
        self.texts = [""] * len(LAYOUTS[layout][0])
        self.cursor_x = -1               # LCD PIN underline at this x (2.4), -1 = none

    def set(self, texts):
        """Copy a sequence of slot texts in (missing slots become blank)."""
        for i in range(len(self.texts)):
            self.texts[i] = texts[i] if i < len(texts) else ""

    def lines(self):
        return text_lines(self.layout, self.texts)


def text_lines(layout, texts):
    """A layout's slot texts as 8 rows of text (a big slot fills its first row)."""
    left = [""] * 8
    right = [""] * 8
    slots = LAYOUTS[layout][0]
    for i in range(len(slots)):
        row, _, align, _ = slots[i]
        if align == ALIGN_RIGHT:
            right[row] = texts[i]
        elif align == ALIGN_FRAMED and texts[i]:
            text = texts[i]
            left[row] = text[0] + text[1:-1].center(8) + text[-1]
        else:
            left[row] = texts[i]
    for row in range(8):
        if right[row]:
            gap = ROW_CHARS - len(left[row]) - len(right[row])
            left[row] = left[row] + " " * (gap if gap > 1 else 1) + right[row]
    return left
