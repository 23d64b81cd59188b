"""When the settings reach NVM (settings-and-menu.md 6.2, 6.3).

Decides when to write: at most once per 60 s for ordinary changes (the first write
after boot is not delayed), at once for `save_now()` (menu EXIT, reboot, MQTT/OCPP
block changes), and never when the encoded record equals the last one written, so a
stable installation does not wear the flash. An NVM write error (`OSError`, `RuntimeError`)
is counted in `Health` and the write is tried again after the back-off (1 s doubling to
60 s); the settings stay dirty and charging goes on. Reads `settings.values` only: the
validation rules (1.4) on save are the caller's (app.configure, menu EXIT), so a rule
that changes the mode runs through the mode service, not here.
"""

from micropython import const

from smartevse.health import NVM, Health
from smartevse.settings.live import SCHEMA_VERSION

MIN_WRITE_INTERVAL_S = const(60)
_TICKS_MASK = const(0x1FFFFFFF)


class Persistence:
    """Loads the settings at boot and flushes them to a RecordStore."""

    def __init__(self, settings, store, health=None):
        self._settings = settings
        self._store = store
        self._health = Health() if health is None else health
        self._last = None           # encoded bytes the NVM holds (as far as we know)
        self._last_write_s = None   # None until the first write: not delayed (6.2)
        self._now_s = 0
        self.writes = 0
        self.notes = []             # the boot notes, one per line

    def boot(self):
        """Load, decode and validate the settings. Returns one message to log and show
        ("" when all is well; the separate notes stay in `self.notes`). Also the
        menu-timeout reload (2.5): edits since the last save are undone."""
        s = self._settings
        payload, version, message = self._store.load()
        notes = [message] if message else []
        if payload is not None:
            notes.extend(s.decode(payload, version))
        else:
            s.reset()
        s.dirty = False
        rule_notes = s.apply_rules()
        notes.extend(rule_notes)
        if rule_notes and payload is not None and version <= SCHEMA_VERSION:
            # The stored record breaks a rule: write the corrected one (not delayed).
            self._last = None
            s.dirty = True
        else:
            # Nothing to write until something changes; in particular a record of a
            # newer schema is never written back unchanged (6.3).
            self._last = s.encode()
            s.dirty = False
        self.notes = notes
        return "; ".join(notes)

    def step_1s(self, now_s):
        """1 s service: write when dirty and 60 s have passed since the last write.
        Returns True when a record was written."""
        self._now_s = now_s
        if not self._settings.dirty:
            return False
        last = self._last_write_s
        if last is not None and now_s - last < MIN_WRITE_INTERVAL_S:
            return False
        if not self._health.ready(NVM, self._now_ms()):
            return False
        return self._write()

    def save_now(self):
        """Write pending changes at once (menu EXIT, reboot). True when written."""
        return self._write()

    def _write(self):
        s = self._settings
        data = s.encode()
        if data == self._last:
            s.dirty = False
            return False
        try:
            self._store.save(data, SCHEMA_VERSION)
        except (OSError, RuntimeError) as exc:     # stays dirty: tried again after back-off
            self._health.failed(NVM, exc, self._now_ms())
            return False
        self._health.ok(NVM)
        s.dirty = False
        self._last = data
        self._last_write_s = self._now_s
        self.writes += 1
        return True

    def _now_ms(self):
        return (self._now_s * 1000) & _TICKS_MASK     # the back-off runs on this clock
