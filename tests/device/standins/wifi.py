"""Stand-in for CircuitPython's `wifi` (a C module): the radio joins at once. Absent
(ImportError) unless the scenario turns the network on (standin_plant.network)."""
import standin_plant as _p

if not _p.network:
    raise ImportError("no wifi in this scenario")


class _Network:
    def __init__(self, ssid, bssid, rssi):
        self.ssid = ssid
        self.bssid = bssid
        self.rssi = rssi


class _Radio:
    def __init__(self):
        self.hostname = "espressif"
        self.mac_address = bytes((0x24, 0x0A, 0xC4, 0x01, 0xC8, 0xF6))
        self.connected = False
        self.ipv4_address = None
        self.ipv4_address_ap = None
        self.ap_ssid = None

    @property
    def ap_info(self):
        """The access point joined (CircuitPython's wifi.Network), None when not joined."""
        if not self.connected:
            return None
        return _Network(_p.wifi_ssid, bytes((0x28, 0x87, 0xBA, 0xD6, 0xB9, 0xDE)), -61)

    def connect(self, ssid, password="", *, channel=0, bssid=None, timeout=None):
        if ssid != _p.wifi_ssid:
            raise ConnectionError("No network with that ssid")
        self.connected = True
        self.ipv4_address = "10.0.0.9"

    def start_ap(self, ssid, password="", **kwargs):
        self.ap_ssid = ssid
        self.ipv4_address_ap = "192.168.4.1"


radio = _Radio()
