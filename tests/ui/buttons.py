"""Front-button gestures on a Simulation, for the menu tests and the golden pictures."""


def tap(s, button, ms=100):
    """Press `button` for `ms` and let the menu draw (100 ms after the release)."""
    s.plant.buttons.press(button, ms=ms)
    s.advance(ms / 1000 + 0.1)


def enter_menu(s):
    """Hold O 2 s (settings-and-menu.md 2.2): the menu at its first item."""
    s.plant.buttons.hold("ok")
    s.advance(2.1)
    s.plant.buttons.release("ok")
    s.advance(0.1)


def label(s):
    """The item on the menu's label line (rows 2-3), without the arrows."""
    return s.display_text()[2].strip("<> ")


def value(s):
    return s.display_text()[4].strip("<> ")


def go_to(s, wanted):
    """Browse with `>` to the item labelled `wanted`."""
    for _ in range(60):
        if label(s) == wanted:
            return
        tap(s, "right")
    raise AssertionError(f"no menu item {wanted!r}")
