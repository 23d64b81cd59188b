"""Stand-in for CircuitPython's `pwmio`: the CP pin's duty is the plant's pilot duty."""
import standin_plant as _plant


class PWMOut:
    def __init__(self, pin, frequency=500, duty_cycle=0, variable_frequency=False):
        self.frequency = frequency
        self.duty_cycle = duty_cycle

    @property
    def duty_cycle(self):
        return _plant.pilot_duty

    @duty_cycle.setter
    def duty_cycle(self, duty):
        _plant.pilot_duty = duty

    def deinit(self):
        pass
