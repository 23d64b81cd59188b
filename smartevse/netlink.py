"""The front panel's side of the network (settings-and-menu.md 2.4): the app-pairing PIN,
the Wi-Fi setup portal request and the app server's link state."""

# The menu writes the first two and the network services read them; the app-server link
# writes the third and the menu shows it. The Wi-Fi mode itself is the setting
# `wifi_mode` (0 off, 1 station, 2 SetupWifi), read from app.settings.values.
# `random` on CircuitPython is seeded from the hardware RNG at start-up.

from random import randint

PORTAL_SSID = "SmartEVSE-config"
_PASSWORD_CHARS = "0123456789abcdef"    # 8 hex digits, as the boot-time portal (1.18)


class NetLink:
    """What the menu asks of the network services, and what they tell it."""

    def __init__(self):
        self.pairing_pin = 0           # 1..999999 while APP PIN is edited, else 0
        self.portal_password = None    # set: run the access point PORTAL_SSID with it
        self.server_connected = False  # the app server's MQTT link is up (APP SERVR)

    def new_pin(self):
        """A fresh pairing PIN (2.4 APP PIN: entering edit); MQTT `PairingPin`."""
        self.pairing_pin = randint(1, 999999)

    def forget_pin(self):
        self.pairing_pin = 0

    def pin_text(self):
        """The PIN as the app and MQTT `PairingPin` get it: six digits, "" without one."""
        return "%06d" % self.pairing_pin if self.pairing_pin else ""

    def start_portal(self):
        """WIFI = SetupWifi and `O` (2.4): a new 8-hex-digit password; the Wi-Fi service
        starts the access point while `portal_password` is set."""
        if self.portal_password is None:
            chars = _PASSWORD_CHARS
            last = len(chars) - 1
            self.portal_password = "".join([chars[randint(0, last)] for _ in range(8)])

    def stop_portal(self):
        """WIFI left SetupWifi (the Wi-Fi service also calls it once the portal is done)."""
        self.portal_password = None
