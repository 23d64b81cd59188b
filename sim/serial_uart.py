"""A `busio.UART` duck type over pyserial, so the controller's Modbus master runs on a
real serial device on the host (a USB-RS485 adapter, or a pty in tests).

Thin: moves bytes, never blocks (timeout 0); the transaction machine decides.
"""

import serial


class SerialUart:
    """in_waiting / readinto / write / reset_input_buffer of busio.UART over pyserial."""

    def __init__(self, port, baudrate=9600):
        self.baudrate = baudrate
        self._port = serial.Serial(port, baudrate=baudrate, bytesize=8, parity="N",
                                   stopbits=1, timeout=0, write_timeout=1)

    @property
    def in_waiting(self):
        return self._port.in_waiting

    def readinto(self, buf):
        data = self._port.read(min(len(buf), self._port.in_waiting))
        buf[:len(data)] = data
        return len(data) or None

    def write(self, buf):
        return self._port.write(bytes(buf))

    def reset_input_buffer(self):
        self._port.reset_input_buffer()

    def deinit(self):
        self._port.close()
