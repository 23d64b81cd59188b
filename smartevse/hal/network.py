"""The device's network part `net`: Wi-Fi, mDNS, NTP time, the set-up portal (interfaces.md 1.1, 1.18).

Imported by device_board; without `wifi` (a build with no radio) the board has no `net`.
"""
# Everything that can block for seconds (joining Wi-Fi, DNS, an NTP exchange) runs at boot,
# before the loop, or later only while both contactors are open (issue 11 item 10).

from micropython import const

import socketpool
import wifi
from adafruit_ticks import ticks_add, ticks_diff

from smartevse import log
from smartevse.hal import portal
from smartevse.net import localtime

try:
    import mdns
except ImportError:             # a build without mDNS: reachable by IP only
    mdns = None
try:
    from os import getenv
except ImportError:             # not CircuitPython: no settings.toml
    def getenv(name, default=None):
        return default

_HTTP_PORT = const(80)
_JOIN_S = const(15)
_NTP_TIMEOUT_S = 0.5            # one UDP exchange, at boot or with the contactors open
_RESYNC_MS = const(21600000)    # 6 h
_RETRY_MS = const(300000)       # 5 min after a failed sync
_REJOIN_MS = const(60000)       # Wi-Fi lost: try again each minute, contactors open
PORTAL_SSID = "SmartEVSE-config"


def serial_from_mac(mac):
    """The serial number from the station MAC's last 20 bits (hostname smartevse-<serial>)."""
    return ((mac[3] & 0x0F) << 16) | (mac[4] << 8) | mac[5]


class DeviceNetwork:
    """Wi-Fi station from settings.toml, else the set-up portal's access point."""

    def __init__(self, now_ms, nvm):
        radio = wifi.radio
        self._radio = radio
        self.serial_nr = serial_from_mac(radio.mac_address)
        self.hostname = "smartevse-%d" % self.serial_nr
        self.http_port = _HTTP_PORT
        self.portal = False                   # the boot portal: no network configured
        self.ap_ssid = None                   # the access point while it runs
        self.ap_password = None
        self.time_status = "no time: NTP not synced"
        self._epoch_s = None                  # UTC at _epoch_ms, once synced
        self._epoch_ms = now_ms
        self._sync_due_ms = now_ms
        self._tz_min = _int(getenv("SMARTEVSE_TZ_OFFSET_MIN"), 60)
        self._dst = getenv("SMARTEVSE_TZ_DST") or "EU"
        try:
            radio.hostname = self.hostname
        except (AttributeError, ValueError):
            pass
        self.portal_pages = None
        self.portal_errors = 0                # access points the radio refused
        self.portal_last_error = None
        ssid = getenv("CIRCUITPY_WIFI_SSID")
        password = getenv("CIRCUITPY_WIFI_PASSWORD") or ""
        if not ssid:
            ssid, password = portal.load(nvm)     # saved by the set-up portal
        self._ssid = ssid
        self._password = password
        self._join_due_ms = now_ms
        if ssid:
            self._join(now_ms)
        else:
            self._start_portal(nvm)
        self._pool = socketpool.SocketPool(radio)
        self._ntp = None
        self._mdns = None
        self._advertise()
        self.sync_time(now_ms)

    def _join(self, now_ms):
        """Join the station network (blocks up to 15 s: at boot, or contactors open)."""
        try:
            self._radio.connect(self._ssid, self._password, timeout=_JOIN_S)
        except (ConnectionError, OSError) as exc:
            self._join_due_ms = ticks_add(now_ms, _REJOIN_MS)
            log.warning("wifi: cannot join %s: %s" % (self._ssid, exc))
            return
        log.info("wifi: joined %s as %s" % (self._ssid, self.ipv4_address))

    def _start_portal(self, nvm):
        # interfaces.md 1.18: AP SmartEVSE-config, a random 8-hex-digit password on the LCD
        import os
        if self.open_portal(PORTAL_SSID, "".join("%02x" % b for b in os.urandom(4)), nvm) is None:
            return
        self.portal = True
        log.warning("no Wi-Fi configured: set-up portal " + PORTAL_SSID + " password " +
                    self.ap_password)

    def open_portal(self, ssid, password, nvm):
        """Start the access point (the menu's WIFI SetupWifi + O too, with the contactors
        open); its pages answer GET / and POST /save (interfaces.md 1.18). A radio that
        refuses is counted and logged, never a loop fault: None."""
        try:
            self._radio.start_ap(ssid, password)
        except (OSError, RuntimeError, ValueError) as exc:
            portal.refused(self, ssid, exc)
            return None
        self.ap_ssid = ssid
        self.ap_password = password
        self.portal_pages = portal.Portal(nvm)
        return self.portal_pages

    def close_portal(self):
        """WIFI left SetupWifi: the access point stops, the station link stays."""
        try:
            self._radio.stop_ap()
        except (AttributeError, NotImplementedError, OSError):
            pass
        self.ap_ssid = self.ap_password = self.portal_pages = None

    def _advertise(self):
        if mdns is None or not self.connected:
            return
        server = mdns.Server(self._radio)
        server.hostname = self.hostname
        server.advertise_service(service_type="_http", protocol="_tcp", port=_HTTP_PORT)
        self._mdns = server                   # kept: the responder lives with it

    def find(self, service_type, protocol, timeout_s):
        """mDNS services -> ((hostname, ipv4 text, port), ...); blocks up to timeout_s, so
        only with the contactors open (issue 11 item 10)."""
        if self._mdns is None:
            self._advertise()                 # joined after boot: the responder starts now
        server = self._mdns
        if server is None:
            return ()
        try:
            found = server.find(service_type=service_type, protocol=protocol, timeout=timeout_s)
        except (OSError, RuntimeError) as exc:
            log.warning("mdns: find %s: %s" % (service_type, exc))
            return ()
        return tuple((s.hostname, str(s.ipv4_address), s.port) for s in found)

    @property
    def connected(self):
        return bool(self._radio.connected)

    def station(self):
        """(ssid, bssid "AA:BB:..", rssi dBm) of the access point joined, or None."""
        info = self._radio.ap_info if self._radio.connected else None
        if info is None:
            return None
        return info.ssid, ":".join("%02X" % b for b in info.bssid), info.rssi

    @property
    def ipv4_address(self):
        address = self._radio.ipv4_address_ap if self.portal else self._radio.ipv4_address
        return None if address is None else str(address)

    def socket_pool(self):
        return self._pool

    # --- time -----------------------------------------------------------------------
    def sync_time(self, now_ms):
        """One NTP exchange (DNS, UDP): only at boot or with the contactors open."""
        if not self.connected:
            self._sync_due_ms = ticks_add(now_ms, _RETRY_MS)
            return
        import adafruit_ntp
        if self._ntp is None:
            self._ntp = adafruit_ntp.NTP(self._pool, server=getenv("SMARTEVSE_NTP_SERVER") or
                                         "pool.ntp.org", socket_timeout=_NTP_TIMEOUT_S)
        try:
            utc_s = self._ntp.utc_ns // 1000000000
        except (OSError, ArithmeticError) as exc:
            self._sync_due_ms = ticks_add(now_ms, _RETRY_MS)
            if self._epoch_s is None:
                log.warning("no time: NTP failed (%s); delayed charging waits for it" % exc)
            return
        self._epoch_s = utc_s
        self._epoch_ms = now_ms
        self._sync_due_ms = ticks_add(now_ms, _RESYNC_MS)
        self.time_status = "NTP synced"

    def step_1s(self, now_ms, contactors_open):
        """Each second: carry the clock forward (ticks wrap after 6 days) and resync
        every 6 h while the contactors are open."""
        if self._epoch_s is not None:
            whole_s = ticks_diff(now_ms, self._epoch_ms) // 1000
            self._epoch_s += whole_s
            self._epoch_ms = ticks_add(self._epoch_ms, whole_s * 1000)
        if not contactors_open:
            return
        if self._ssid and not self.connected and ticks_diff(now_ms, self._join_due_ms) >= 0:
            self._join(now_ms)                # lost or never joined: again each minute
            return
        if ticks_diff(now_ms, self._sync_due_ms) >= 0:
            self.sync_time(now_ms)
        pages = self.portal_pages
        if pages is not None and pages.saved:
            import microcontroller
            microcontroller.reset()           # joins the saved network at boot

    def local_epoch_s(self):
        """Local time as epoch seconds (the app's clock_epoch), or None before NTP."""
        if self._epoch_s is None:
            return None
        return self._epoch_s + localtime.offset_s(self._epoch_s, self._tz_min, self._dst)


def _int(text, default):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default
