"""How REST reads a query value; the refusal text shared by the handlers (interfaces.md 1.1).

Numbers are parsed leniently, as the fork's `String.toInt()` does: non-numeric text
reads as 0 and a refused value answers "Value not allowed!" (HTTP 200).
"""

NOT_ALLOWED = "Value not allowed!"
_INT_MAX = 2147483647             # strtol saturates here (32-bit long); not a small int


def to_int(text):
    """A query value as the fork's `toInt()` reads it: leading blanks, a sign, digits;
    anything else ends the number ("12abc" -> 12, "abc" -> 0), saturating at 32 bits."""
    if isinstance(text, int):
        return text
    text = str(text)
    n = len(text)
    i = 0
    while i < n and text[i] in " \t\n\v\f\r":      # C's isspace()
        i += 1
    negative = False
    if i < n and (text[i] == "-" or text[i] == "+"):
        negative = text[i] == "-"
        i += 1
    value = 0
    limit = _INT_MAX + 1 if negative else _INT_MAX   # LONG_MIN is one further than LONG_MAX
    while i < n and "0" <= text[i] <= "9":
        value = value * 10 + ord(text[i]) - 48
        if value > limit:
            value = limit
        i += 1
    return -value if negative else value


def is_node(app):
    """A power-share node (loadbl >= 2) refuses the master-only parameters."""
    return app.settings.is_node()
