"""Settings survive power cuts; corrupt NVM boots on defaults and says so
(settings-and-menu.md 6; docs/architecture.md "One table for all settings")."""

import random

import pytest

from sim import Simulation
from smartevse import log


def test_settings_survive_a_power_cut():
    """Given MAX changed to 20 A, when the power is cut after the save and comes back,
    then MAX is still 20 A and the EV gets 20 A (6.2: the first write is not delayed)."""
    s = Simulation()
    s.configure({"MAX": 20, "MODE": "Normal"})
    s.advance(2.0)
    s.power_cut()
    s.advance(5.0)
    s.power_on()
    assert s.app.settings.values["current_max"] == 20
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(3.0)
    assert s.observe()["advertised_da"] == 200


def test_constructor_settings_are_saved_at_once():
    """Given Simulation(settings=...), when the power is cut at once, then the settings
    are still there at the next boot (an installer's configuration)."""
    s = Simulation(settings={"MAX": 16, "LOCK": "Motor"})
    s.power_cut()
    s.power_on()
    assert s.app.settings.values["current_max"] == 16 and s.app.settings.values["lock"] == 2


def _write_cut_images(before, after):
    """Every NVM image a power cut can leave while `after` is being written over
    `before` by one slice assignment: the first k changed bytes landed, the rest not."""
    changed = [i for i in range(len(before)) if before[i] != after[i]]
    if not changed:
        return []
    first, last = changed[0], changed[-1]
    images = []
    for k in range(first, last + 2):
        images.append(bytes(after[:k]) + bytes(before[k:]))
    return images


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_a_power_cut_at_every_byte_of_a_write_loses_nothing(rounds):
    """Given saved settings (MAX 16), when a save of MAX 20 is cut at every byte offset,
    then each boot finds either MAX 16 or MAX 20, never defaults (docs/architecture.md).
    Repeated over successive saves so both slots are exercised."""
    s = Simulation(settings={"MAX": 16})
    for i in range(rounds - 1):             # move the newest record between the slots
        s.configure({"MAX": 10 + i})
        s.app.persist.save_now()
        s.configure({"MAX": 16})
        s.app.persist.save_now()
    before = bytes(s.nvm)
    s.configure({"MAX": 20})
    s.app.persist.save_now()
    after = bytes(s.nvm)
    images = _write_cut_images(before, after)
    assert len(images) > 20
    for image in images:
        t = Simulation(nvm=image)
        assert t.app.settings.values["current_max"] in (16, 20), "lost settings"


def test_corrupt_nvm_boots_on_defaults_and_says_so():
    """Given NVM full of garbage, when the controller boots, then it runs on defaults,
    idles in A, and says the settings were not usable (6.3; bad input)."""
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(8192))
    s = Simulation(nvm=garbage)
    assert s.app.boot_message and "default" in s.app.boot_message.lower()
    assert any("default" in line.lower() for line in log.recent())
    assert s.app.settings.values["current_max"] == 13
    s.advance(1.0)
    assert s.observe()["state_id"] == 0


def test_one_corrupt_slot_falls_back_to_the_other():
    """Given two saved records, when the newest one is corrupted, then the older one is
    used and the boot message says so (docs/architecture.md)."""
    s = Simulation(settings={"MAX": 16})
    before = bytes(s.nvm)
    s.configure({"MAX": 20})
    s.app.persist.save_now()
    after = bytearray(s.nvm)
    changed = [i for i in range(len(before)) if before[i] != after[i]]
    after[changed[len(changed) // 2]] ^= 0xFF
    t = Simulation(nvm=bytes(after))
    assert t.app.settings.values["current_max"] == 16
    assert "corrupt" in t.app.boot_message.lower()


@pytest.mark.parametrize("size", [0, 1, 100, 4096])
def test_truncated_nvm_never_prevents_boot(size):
    """Given NVM bytes cut short, when booting, then the controller runs on what it can
    read (defaults here) and idles in A."""
    s = Simulation(nvm=b"\x00" * size)
    s.advance(0.5)
    assert s.observe()["state_id"] == 0
