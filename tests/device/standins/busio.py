"""Stand-in for CircuitPython's `busio`: an I2C bus with the OLED at 0x3C, UARTs whose
far end is quiet or the Modbus devices of the scenario, and the PN532's UART (115200 baud,
no RS485 direction pin), whose far end is the simulator's PN532 model (sim/pn532.py,
`standin_plant.pn532`)."""


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
    """A UART whose far end is the Modbus devices of `standin_plant.bus_devices`
    ({address: (function, {register: word})}): a CRC-checked read request is answered
    at once with a real RTU reply (or exception 02 for an unmapped register), a write to
    a mapped register is stored and echoed (a node's state write 5 / 7 makes it B / C),
    broadcasts to 0x09 are counted; without devices the bus stays quiet. Preallocated:
    answering allocates nothing."""

    class Parity:
        ODD = 1
        EVEN = 2

    def __init__(self, tx=None, rx=None, *, baudrate=9600, bits=8, parity=None, stop=1,
                 timeout=1, receiver_buffer_size=64, rs485_dir=None, rs485_invert=False):
        self.baudrate = baudrate
        self.timeout = timeout
        self._out = bytearray(256)
        self._len = 0
        self._pos = 0
        self.frames = 0
        self.broadcasts = 0
        self.sent = bytearray(64)        # the last frame this UART sent (a node's reply)
        self.sent_len = 0
        self.writes = 0
        self._chip = None
        if rs485_dir is not None:
            import standin_plant
            standin_plant.rs485 = self
        elif baudrate == 115200:
            import standin_plant
            self._chip = standin_plant.pn532_chip()

    def feed(self, frame):
        """Another talker's frame arrives (a master's request or broadcast)."""
        out = self._out
        if self._pos >= self._len:
            self._len = self._pos = 0
        at = self._len
        for i in range(len(frame)):
            out[at + i] = frame[i]
        self._len = at + len(frame)

    @property
    def in_waiting(self):
        if self._chip is not None:
            return self._chip.in_waiting
        return self._len - self._pos

    def read(self, nbytes=None):
        if self._chip is not None:
            return self._chip.read(nbytes)
        return None

    def readinto(self, buf):
        n = self._len - self._pos
        if n <= 0:
            return None
        if n > len(buf):
            n = len(buf)
        out = self._out
        at = self._pos
        for i in range(n):
            buf[i] = out[at + i]
        self._pos = at + n
        return n

    def write(self, buf):
        if self._chip is not None:
            return self._chip.write(buf)
        import standin_plant
        n = len(buf)
        self.writes += 1
        sent = self.sent
        for i in range(n if n < 64 else 64):
            sent[i] = buf[i]
        self.sent_len = n
        if n < 8 or _crc(buf, n - 2) != buf[n - 2] | buf[n - 1] << 8:
            return n
        if buf[0] == 9:
            self.broadcasts += 1                  # SmartEVSE broadcast: never answered
            return n
        device = standin_plant.bus_devices.get(buf[0])
        if device is not None:
            self._answer(buf, device)
        return n

    def _answer(self, req, device):
        function, words = device
        register = req[2] << 8 | req[3]
        count = req[4] << 8 | req[5]
        out = self._out
        out[0] = req[0]
        out[1] = req[1]
        if req[1] == 6 or req[1] == 16:
            count = 1 if req[1] == 6 else count
            if register in words:
                for i in range(count):               # a node: 5 -> B, 7 -> C (modbus.md 4.2)
                    value = req[4] << 8 | req[5] if req[1] == 6 else req[7 + 2 * i] << 8 | req[8 + 2 * i]
                    if register + i == 0 and (value == 5 or value == 7):
                        value = 1 if value == 5 else 2
                    words[register + i] = value
                for i in range(2, 6):
                    out[i] = req[i]                  # the echo: register, quantity or value
                self._finish(6)
                return
        mapped = req[1] == function
        for i in range(count):
            if register + i not in words:
                mapped = False
        if not mapped:
            out[1] = req[1] | 0x80
            out[2] = 2
            n = 3
        else:
            out[2] = 2 * count
            for i in range(count):
                word = words[register + i]
                out[3 + 2 * i] = word >> 8
                out[4 + 2 * i] = word & 0xFF
            n = 3 + 2 * count
        self._finish(n)

    def _finish(self, n):
        out = self._out
        crc = _crc(out, n)
        out[n] = crc & 0xFF
        out[n + 1] = crc >> 8
        self._len = n + 2
        self._pos = 0
        self.frames += 1

    def reset_input_buffer(self):
        if self._chip is not None:
            self._chip.reset_input_buffer()
        self._pos = self._len

    def deinit(self):
        pass


def _crc(buf, n):
    """CRC-16/MODBUS, bitwise (the stand-in's own, not the firmware's table)."""
    crc = 0xFFFF
    for i in range(n):
        crc ^= buf[i]
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc
