"""The main OLED screens, pixel for pixel against tests/golden/*.png (settings-and-menu.md
2.6, 3.3-3.6). After a deliberate change: `.venv/bin/python -m tests.ui.golden --update`,
then look at each changed PNG before committing it."""
import pytest
from PIL import Image

from tests.ui import golden


@pytest.mark.parametrize("name", sorted(golden.SCENES))
def test_screen_matches_its_golden_png_pixel_for_pixel(name, tmp_path):
    """Given the scene `name` driven through the simulator and its buttons, when the panel
    is saved as a PNG, then every one of its 128 x 64 pixels equals the golden picture's."""
    path = tmp_path / (name + ".png")
    golden.render(name, str(path))
    got = Image.open(path).convert("1")
    want = Image.open(golden.path_of(name)).convert("1")
    assert got.size == want.size == (128, 64)
    diff = [(x, y) for y in range(64) for x in range(128)
            if got.getpixel((x, y)) != want.getpixel((x, y))]
    assert diff == [], "%d pixels differ, first %s (regenerate: python -m tests.ui.golden " \
                       "--update, then look at the PNG)" % (len(diff), diff[:5])


def test_golden_command_without_update_prints_its_usage(capsys):
    """Given the golden module run without --update, then it rewrites nothing and says how."""
    assert golden.main([]) == 2
    assert "--update" in capsys.readouterr().out
