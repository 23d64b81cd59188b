"""Stand-in for CircuitPython's `keypad`: Keys with an event queue that stays empty."""


class Event:
    def __init__(self, key_number=0, pressed=True):
        self.key_number = key_number
        self.pressed = pressed
        self.released = not pressed


class _EventQueue:
    overflowed = False

    def get(self):
        return None

    def get_into(self, event):
        return False

    def clear(self):
        pass

    def __len__(self):
        return 0


class Keys:
    def __init__(self, pins, *, value_when_pressed, pull=True, interval=0.02, max_events=64):
        self.key_count = len(pins)
        self.events = _EventQueue()

    def deinit(self):
        pass
