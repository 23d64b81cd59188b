"""Front-button events from a `keypad` event queue, without allocating (2.1)."""

from keypad import Event


class KeyReader:
    """`read()` takes the next event into one preallocated Event (`get_into`)."""

    def __init__(self, events):
        self._events = events
        self._event = Event()
        self.key = 0
        self.pressed = False
        self.timestamp_ms = 0

    def read(self):
        event = self._event
        if not self._events.get_into(event):
            return False
        self.key = event.key_number
        self.pressed = event.pressed
        self.timestamp_ms = event.timestamp
        return True
