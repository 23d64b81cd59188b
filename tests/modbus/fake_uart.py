"""A busio.UART duck type for the Modbus tests: records writes; input is what the test
puts there, plus a scripted answer popped on each write."""


class ScriptedUart:
    def __init__(self, answers=()):
        self.written = []
        self.input = bytearray()
        self.answers = list(answers)

    @property
    def in_waiting(self):
        return len(self.input)

    def readinto(self, buf):
        n = min(len(buf), len(self.input))
        buf[:n] = self.input[:n]
        del self.input[:n]
        return n or None

    def write(self, buf):
        self.written.append(bytes(buf))
        if self.answers:
            self.input += self.answers.pop(0)
        return len(buf)
