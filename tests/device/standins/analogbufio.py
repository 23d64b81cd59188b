"""Stand-in for CircuitPython's `analogbufio`: a burst of the pilot's PWM wave, in raw
uncalibrated codes (3.1 V full scale at 11 dB, saturating like the S3's ADC)."""
import standin_plant as _plant


class BufferedIn:
    def __init__(self, pin, sample_rate):
        self._rate = sample_rate

    def readinto(self, buf):
        _plant.fail("pilot_adc")
        high = min(65535, _plant.cp_adc_mv(True) * 65535 // 3100)
        low = min(65535, _plant.cp_adc_mv(False) * 65535 // 3100)
        n = len(buf)
        # 80 samples per 1 kHz period; the first `duty` share of each period is high.
        high_n = _plant.pilot_duty * 80 // 65535
        for i in range(n):
            buf[i] = high if i % 80 < high_n else low
        return n

    def deinit(self):
        pass
