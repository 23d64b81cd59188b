"""Stand-in for CircuitPython's `busdisplay`: BusDisplay keeps its root group; a refresh
is where a real panel's bus error surfaces, so that is where the plant's fault raises."""
import standin_plant as _plant


class BusDisplay:
    def __init__(self, display_bus, init_sequence, *, width, height, auto_refresh=True,
                 **kwargs):
        self.bus = display_bus
        self.width = width
        self.height = height
        self.auto_refresh = auto_refresh
        self.root_group = None
        self.brightness = kwargs.get("brightness", 1.0)
        self.refreshes = 0

    def refresh(self, *, target_frames_per_second=None, minimum_frames_per_second=0):
        _plant.fail("display")
        self.refreshes += 1
        return True
