"""The simulated RS485 bus: a byte-level UART for the board's `rs485` part, and the
devices on the bus answering real RTU frames (modbus.md 1.2).

Bytes take their wire time: a request is heard by the devices when its last character
has been sent, a reply starts after the device's turnaround and each of its characters
arrives 10 bits later (8N1 at the bus baud rate), so the controller's transaction
machine sees a reply grow pass by pass as on the device. `faults(drop=, corrupt=)`
makes replies go missing or arrive with one byte flipped, pseudo-randomly (seeded).
"""

import random

from sim.meters import check_request

TURNAROUND_US = 5000            # a meter answers about 5 ms after the request


class SimBus:
    """Devices by address, the controllers' ports, the wire's timing, and fault injection."""

    def __init__(self, now_us, baudrate=9600):
        self._now_us = now_us
        self.char_us = 10000000 // baudrate
        self.device_at = lambda address: None     # address -> device (sim/meters.py)
        self.drop = 0.0
        self.corrupt = 0.0
        self._random = random.Random(8)
        self.ports = []                 # every controller's UART on this bus
        self.requests_seen = 0

    def faults(self, drop=0.0, corrupt=0.0):
        """From now on, drop a reply with probability `drop` and flip one byte of a
        reply with probability `corrupt` (0..1 each)."""
        for name, p in (("drop", drop), ("corrupt", corrupt)):
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"bus fault {name} must be 0..1, got {p!r}")
        self.drop = float(drop)
        self.corrupt = float(corrupt)

    def inject(self, data, after_us=0):
        """Put raw bytes on the wire (another talker, noise), starting after `after_us`."""
        start_us = self._now_us() + after_us
        for port in self.ports:
            port.queue(bytes(data), start_us, self.char_us)

    def transmit(self, data, sender=None):
        """A controller sent `data`: every other controller hears it byte by byte, and
        the addressed device answers after it heard the whole frame."""
        data = bytes(data)
        now_us = self._now_us()
        heard_us = now_us + len(data) * self.char_us
        for port in self.ports:
            if port is not sender:
                port.queue(data, now_us, self.char_us)
        self.requests_seen += 1
        header = check_request(data)
        if header is None:
            return
        device = self.device_at(header[0])
        if device is None or not device.answering():
            return
        reply = device.answer(data, header[1])
        if reply is None or self._random.random() < self.drop:
            return
        if self._random.random() < self.corrupt:
            reply = bytearray(reply)
            reply[self._random.randrange(len(reply))] ^= 1 << self._random.randrange(8)
        for port in self.ports:
            port.queue(bytes(reply), heard_us + TURNAROUND_US, self.char_us)


class HostRs485:
    """The board's `rs485` part on the host: a `busio.UART` duck type over the bus."""

    def __init__(self, bus, faults=None):
        self._bus = bus
        self._faults = faults           # sim/board.py PartFaults: "rs485" raises on use
        self._now_us = bus._now_us
        self.baudrate = 9600
        self._pending = []              # (arrival_us, byte) in order
        bus.ports.append(self)

    def detach(self):
        """Off the bus (the controller lost power)."""
        if self in self._bus.ports:
            self._bus.ports.remove(self)

    def queue(self, data, start_us, char_us):
        pending = self._pending
        if pending:
            start_us = max(start_us, pending[-1][0])
        for i, byte in enumerate(data):
            pending.append((start_us + (i + 1) * char_us, byte))

    def _arrived(self):
        """Bytes whose last bit has arrived by now."""
        pending = self._pending
        if not pending:
            return 0
        now_us = self._now_us()
        if pending[-1][0] <= now_us:
            return len(pending)
        count = 0
        for arrival_us, _ in pending:
            if arrival_us > now_us:
                break
            count += 1
        return count

    def _take(self, count):
        taken = self._pending[:count]
        del self._pending[:count]
        return [byte for _, byte in taken]

    def _check(self):
        if self._faults is not None:
            self._faults.check("rs485")

    @property
    def in_waiting(self):
        self._check()
        return self._arrived()

    def readinto(self, buf):
        self._check()
        count = min(len(buf), self._arrived())
        if count == 0:
            return None
        for i, byte in enumerate(self._take(count)):
            buf[i] = byte
        return count

    def read(self, nbytes=None):
        self._check()
        count = self._arrived() if nbytes is None else min(nbytes, self._arrived())
        return bytes(self._take(count)) if count else None

    def write(self, buf):
        self._check()
        self._bus.transmit(buf, self)
        return len(buf)

    def reset_input_buffer(self):
        self._take(self._arrived())
