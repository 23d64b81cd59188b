"""Stand-in for CircuitPython's `i2cdisplaybus`: commands go nowhere."""


class I2CDisplayBus:
    def __init__(self, i2c_bus, *, device_address, reset=None):
        self.address = device_address

    def send(self, command, data):
        pass

    def reset(self):
        pass
