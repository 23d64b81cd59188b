"""Stand-in for CircuitPython's `mdns`: records the host name and services advertised."""
import standin_plant as _p


class Server:
    def __init__(self, network_interface):
        self.hostname = None
        _p.mdns_server = self

    def advertise_service(self, *, service_type, protocol, port, txt_records=()):
        _p.mdns_services.append((self.hostname, service_type, protocol, port))
