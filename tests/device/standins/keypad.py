"""Stand-in for CircuitPython's `keypad`: Keys whose event queue a driver fills
(`push(key, pressed)` stamps the plant's clock); `get_into` copies into a kept Event."""

pending = []           # [(key_number, pressed, timestamp_ms)] not yet taken


class Event:
    def __init__(self, key_number=0, pressed=True):
        self.key_number = key_number
        self.pressed = pressed
        self.released = not pressed
        self.timestamp = 0


def push(key_number, pressed):
    import supervisor
    pending.append((key_number, pressed, supervisor.ticks_ms()))


class _EventQueue:
    overflowed = False

    def get(self):
        if not pending:
            return None
        event = Event()
        self.get_into(event)
        return event

    def get_into(self, event):
        if not pending:
            return False
        key, pressed, stamp = pending.pop(0)
        event.key_number = key
        event.pressed = pressed
        event.released = not pressed
        event.timestamp = stamp
        return True

    def clear(self):
        pending.clear()

    def __len__(self):
        return len(pending)


class Keys:
    def __init__(self, pins, *, value_when_pressed, pull=True, interval=0.02, max_events=64):
        self.key_count = len(pins)
        self.events = _EventQueue()

    def deinit(self):
        pass
