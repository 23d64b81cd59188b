import pytest

from sim.csms import CentralSystem


@pytest.fixture
def csms():
    """The loopback central system (sim/csms.py); cards AABBCCDD and REMOTE01 are valid."""
    with CentralSystem() as central:
        central.valid_tags.update({"AABBCCDD", "REMOTE01"})
        yield central
