"""Every menu setting is edited within its limits, steps and options (settings-and-menu.md
1.1, 2.3, 2.4; issue 10 item 2: the menu is generated from the one settings table)."""
import pytest

from sim import Simulation
from smartevse.settings import facts
from smartevse.settings.table import (F_ACTION, F_KW, F_OR_ZERO, F_PIN, FLAGS, KEYS, MAXS,
                                      MENU_COUNT, MINS)
from tests.ui.buttons import enter_menu, tap, value


def _edited_rows():
    """Every menu row with a value editor (APP PIN is an action, LCD PIN a digit editor:
    both have their own tests)."""
    return [i for i in range(MENU_COUNT)
            if facts.label(i) is not None and not FLAGS[i] & (F_ACTION | F_PIN)]


# what must hold for a row to be shown and keep its value (1.2 visibility, 1.4 rules)
_CONTEXT = {"auth_mode": ("lcd_pin", 1234),               # WEB AUTH needs a PIN (D3)
            "mains_meter_address": ("mains_meter_type", 2)}   # a Modbus meter, not 10


def _ends(i, values):
    """The lowest and highest value the editor may stop on (1.1 limits, 2.4 skips)."""
    step = 100 if FLAGS[i] & F_KW else 1
    low = 0 if FLAGS[i] & F_OR_ZERO else MINS[i]
    allowed = [v for v in range(low, MAXS[i] + 1, step) if facts.menu_allows(i, v, values)]
    return allowed[0], allowed[-1]


@pytest.mark.parametrize("i", _edited_rows(), ids=facts.label)
def test_every_menu_setting_wraps_from_its_highest_value_to_its_lowest_and_back(i):
    """Given a setting at its highest allowed value and its item in edit, when `>` is
    pressed, then the value is its lowest allowed one, shown as 1.1 displays it; when `<`
    is pressed, then it is the highest again, never a value outside the table's limits or
    one the editor skips (2.3 wrap-around, 2.4)."""
    s = Simulation()
    s.advance(6)                   # the Sensorbox's first read has set SB2 WIFI (modbus.md 8.4)
    key = KEYS[i]
    if key in _CONTEXT:
        assert s.app.configure(*_CONTEXT[key]) is None
    values = s.app.settings.values
    low, high = _ends(i, values)
    assert s.app.configure(key, high) is None
    enter_menu(s)
    s.app.menu.item = i            # the item under the cursor (browsing: the walk tests)
    tap(s, "ok")
    tap(s, "right")
    assert values[key] == low and value(s) == facts.label_of(key, low).strip()
    tap(s, "left")
    assert values[key] == high and value(s) == facts.label_of(key, high).strip()
