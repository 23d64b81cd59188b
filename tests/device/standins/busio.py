"""Stand-in for CircuitPython's `busio`: an I2C bus with the OLED at 0x3C, quiet UARTs."""


class I2C:
    def __init__(self, scl, sda, *, frequency=100000, timeout=255):
        self._locked = False

    def try_lock(self):
        if self._locked:
            return False
        self._locked = True
        return True

    def unlock(self):
        self._locked = False

    def scan(self):
        return [0x3C]

    def writeto(self, address, buffer, *, start=0, end=None):
        pass

    def deinit(self):
        pass


class UART:
    class Parity:
        ODD = 1
        EVEN = 2

    def __init__(self, tx=None, rx=None, *, baudrate=9600, bits=8, parity=None, stop=1,
                 timeout=1, receiver_buffer_size=64, rs485_dir=None, rs485_invert=False):
        self.baudrate = baudrate
        self.timeout = timeout

    @property
    def in_waiting(self):
        return 0

    def read(self, nbytes=None):
        return None

    def readinto(self, buf):
        return None

    def write(self, buf):
        return len(buf)

    def reset_input_buffer(self):
        pass

    def deinit(self):
        pass
