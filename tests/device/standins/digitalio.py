"""Stand-in for CircuitPython's `digitalio`: outputs record their level in the plant."""
import standin_plant as _plant


class Direction:
    INPUT = 0
    OUTPUT = 1


class Pull:
    UP = 1
    DOWN = 2


class DriveMode:
    PUSH_PULL = 0
    OPEN_DRAIN = 1


class DigitalInOut:
    def __init__(self, pin):
        self._name = pin.name
        self._pull = None
        self.direction = Direction.INPUT

    def switch_to_output(self, value=False, drive_mode=DriveMode.PUSH_PULL):
        self.direction = Direction.OUTPUT
        _plant.pins[self._name] = value

    def switch_to_input(self, pull=None):
        self.direction = Direction.INPUT
        self._pull = pull

    @property
    def value(self):
        if self.direction == Direction.OUTPUT:
            return _plant.pins[self._name]
        if self._name in _plant.held:
            return False                   # a held button pulls to GND
        return self._pull == Pull.UP

    @value.setter
    def value(self, level):
        _plant.pins[self._name] = level

    def deinit(self):
        pass
