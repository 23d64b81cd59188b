"""Stand-in for CircuitPython's `neopixel_write`: the plant keeps the last bytes sent."""
import standin_plant as _plant


def neopixel_write(digitalinout, buf):
    _plant.fail("led")
    _plant.led_grb[:] = buf          # in place: the C module allocates nothing either
