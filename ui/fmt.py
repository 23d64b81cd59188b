"""Numbers and text cut to the panel (settings-and-menu.md 3.4: one decimal for
currents, two for kWh, one for kW). Pure: integers in, text out, no floats.
"""

def fmt_d1(value):
    """A tenth-unit integer with one decimal: -32 -> '-3.2', 160 -> '16.0'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return "{}{}.{}".format(sign, value // 10, value % 10)


def fmt_kw(watts):
    """Watts as kW with one decimal, rounded: -3249 -> '-3.2'."""
    tenths = (abs(watts) + 50) // 100
    return ("-" if watts < 0 and tenths else "") + fmt_d1(tenths)


def fmt_kwh(wh):
    """Wh as kWh with two decimals, rounded: 4204 -> '4.20'."""
    hundredths = (wh + 5) // 10
    return "{}.{:02d}".format(hundredths // 100, hundredths % 100)


def fmt_mmss(seconds):
    return "{:02d}:{:02d}".format(seconds // 60, seconds % 60)



def wrap(text, width, rows):
    """Cut text into at most `rows` lines of `width` characters, breaking at spaces."""
    lines = []
    words = text.split()
    line = ""
    for word in words:
        while len(word) > width:               # a word longer than a line is cut
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = line + " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines[:rows]
