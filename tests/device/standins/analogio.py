"""Stand-in for CircuitPython's `analogio`: 16-bit values of the plant's millivolts (3.3 V)."""
import standin_plant as _plant


class AnalogIn:
    def __init__(self, pin):
        self._name = pin.name

    @property
    def value(self):
        name = self._name
        if name == "IO1":
            _plant.fail("pilot_adc")
            mv = _plant.cp_adc_mv(True)
        elif name == "IO2":
            mv = _plant.pp_mv
        else:
            mv = _plant.temp_mv
        return mv * 65535 // 3300

    def deinit(self):
        pass
