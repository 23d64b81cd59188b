"""Stand-in for CircuitPython's `board` on an ESP32-S3 DevKitC-1: pins IO0..IO48."""
from microcontroller import Pin

for _n in range(49):
    globals()["IO%d" % _n] = Pin("IO%d" % _n)
