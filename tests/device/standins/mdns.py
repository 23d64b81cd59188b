"""Stand-in for CircuitPython's `mdns`: records the host name and services advertised."""
import standin_plant as _p


class Server:
    def __init__(self, network_interface):
        self.hostname = None
        _p.mdns_server = self

    def advertise_service(self, *, service_type, protocol, port, txt_records=()):
        _p.mdns_services.append((self.hostname, service_type, protocol, port))

    def find(self, service_type, protocol, *, timeout=1):
        # the services on the LAN: standin_plant.mdns_remote rows (hostname, ip, port)
        _p.mdns_finds += 1
        return tuple(RemoteService(host, ip, port, service_type, protocol)
                     for host, ip, port in _p.mdns_remote)


class RemoteService:
    def __init__(self, hostname, ip, port, service_type, protocol):
        self.hostname = hostname
        self.ipv4_address = ip
        self.port = port
        self.service_type = service_type
        self.protocol = protocol
