import pytest

from mqtt_broker import Broker


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    b = Broker(str(tmp_path_factory.mktemp("mosquitto")))
    yield b
    b.stop()
