"""Decides the OCPP configuration keys: their values, which are writable, and what a
ChangeConfiguration does (interfaces.md 3.9, 3.2)."""
# The writable numbers and booleans persist as one small NVM record (u32 each, in the
# order of _RW); the measurand lists are reset at every OCPP start as the fork does
# (3.7); the keys backed by a setting (URL, ChargeBoxId, key, FreeVend) are the settings
# table's rows, changed through the app's settings path by the caller.

import binascii
import struct

from smartevse.settings import text_rules

MEASURANDS = ("Energy.Active.Import.Register", "Power.Active.Import", "Current.Import",
              "Current.Offered", "Temperature")
SAMPLED_DEFAULT = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Temperature"
# writable numbers (a bool default marks a boolean key), persisted in this order
_RW = (("HeartbeatInterval", 86400), ("ConnectionTimeOut", 30), ("MinimumStatusDuration", 0),
       ("StopTransactionOnInvalidId", True), ("StopTransactionOnEVSideDisconnect", True),
       ("UnlockConnectorOnEVSideDisconnect", True), ("LocalPreAuthorize", False),
       ("LocalAuthorizeOffline", True), ("AllowOfflineTxForUnknownId", False),
       ("AuthorizeRemoteTxRequests", False), ("MeterValueSampleInterval", 60),
       ("ClockAlignedDataInterval", 0), ("TransactionMessageAttempts", 3),
       ("TransactionMessageRetryInterval", 60), ("ResetRetries", 2),
       ("LocalAuthListEnabled", True), ("WebSocketPingInterval", 5),
       ("Cst_ReconnectInterval", 10), ("Cst_StaleTimeout", 300),
       ("Cst_AuthorizationTimeout", 20), ("Cst_SilentOfflineTransactions", False),
       ("Cst_TxStartOnPowerPathClosed", False), ("Cst_PreBootTransactions", False),
       ("Cst_MeterValuesInTxOnly", True), ("Cst_StopTxnDataCapturePeriodic", False),
       ("ConfigureMaxCurrent", 16))
_TEXTS = ("MeterValuesSampledData", "MeterValuesAlignedData", "StopTxnSampledData",
          "StopTxnAlignedData")
_RO = (("MeterValuesSampledDataMaxLength", "8"), ("MeterValuesAlignedDataMaxLength", "8"),
       ("StopTxnSampledDataMaxLength", "8"), ("StopTxnAlignedDataMaxLength", "8"),
       ("NumberOfConnectors", "1"), ("GetConfigurationMaxKeys", "30"),
       ("LocalAuthListMaxLength", "48"), ("SendLocalListMaxLength", "48"),
       ("ReserveConnectorZeroSupported", "true"), ("ChargeProfileMaxStackLevel", "8"),
       ("ChargingScheduleAllowedChargingRateUnit", "Current"),
       ("ChargingScheduleMaxPeriods", "24"), ("MaxChargingProfilesInstalled", "10"))
# key -> the settings row behind it
_SETTINGS = (("Cst_BackendUrl", "ocpp_backend_url"), ("Cst_ChargeBoxId", "ocpp_cb_id"),
             ("Cst_FreeVendActive", "ocpp_auto_auth"), ("Cst_FreeVendIdTag", "ocpp_auto_auth_idtag"),
             ("AuthorizationKey", "ocpp_auth_key"))
RECORD_VERSION = 1


def _text(value):
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


class Config:
    """The configuration keys' values; `numbers[name]` for the writable numbers."""

    def __init__(self):
        self.numbers = {}
        self.texts = {}
        self.reset()

    def reset(self):
        for name, default in _RW:
            self.numbers[name] = default
        self.start()

    def start(self):
        """The lists the fork forces at every OCPP start (3.7)."""
        self.texts = {"MeterValuesSampledData": SAMPLED_DEFAULT,
                      "MeterValuesAlignedData": "Energy.Active.Import.Register,Power.Active.Import",
                      "StopTxnSampledData": "", "StopTxnAlignedData": ""}

    def encode(self):
        return struct.pack("<%dI" % len(_RW), *[int(self.numbers[n]) & 0xFFFFFFFF for n, _ in _RW])

    def decode(self, payload):
        """Load persisted values; a record of another length keeps what it can."""
        count = min(len(payload) // 4, len(_RW))
        for i in range(count):
            name, default = _RW[i]
            value = struct.unpack_from("<I", payload, 4 * i)[0]
            self.numbers[name] = bool(value) if default is True or default is False else value

    def get(self, keys, settings, standalone):
        """GetConfiguration (3.9): (configurationKey list, unknownKey list)."""
        found = []
        unknown = []
        for name in keys or self.names():
            value = self.read(name, settings, standalone)
            if value is None:
                unknown.append(name)
            else:
                entry = {"key": name, "readonly": value[1]}
                if name != "AuthorizationKey":          # write-only (3.9)
                    entry["value"] = value[0]
                found.append(entry)
        return found, unknown

    @staticmethod
    def names():
        for name, _ in _RW:
            yield name
        for name in _TEXTS:
            yield name
        for name, _ in _RO:
            yield name
        yield "SupportedFeatureProfiles"
        for name, _ in _SETTINGS:
            yield name

    def read(self, name, settings, standalone):
        """(text, readonly) of one key, or None when unknown."""
        if name in self.numbers:
            return _text(0 if name == "ConfigureMaxCurrent" else self.numbers[name]), False
        if name in self.texts:
            return self.texts[name], False
        if name == "SupportedFeatureProfiles":
            # FirmwareManagement is not offered: updates come by USB drive (issue 13)
            profiles = "Core,LocalAuthListManagement,Reservation,RemoteTrigger"
            return (profiles + ",SmartCharging" if standalone else profiles), True
        for key, value in _RO:
            if key == name:
                return value, True
        for key, row in _SETTINGS:
            if key == name:
                return _text(settings[row]), False
        return None

    def change(self, name, text, settings):
        """ChangeConfiguration: (status, {setting: value} for the app to apply or None)."""
        if name in self.numbers:
            default = self.numbers[name]
            if default is True or default is False:
                low = text.lower()
                if low not in ("true", "false"):
                    return "Rejected", None
                self.numbers[name] = low == "true"
                return "Accepted", None
            if not text.isdigit() or len(text) > 9:
                return "Rejected", None
            value = int(text)
            if name == "ConfigureMaxCurrent":        # sets MAX once (3.9)
                if not 6 <= value <= 80:
                    return "Rejected", None
                return "Accepted", {"current_max": value}
            self.numbers[name] = value
            return "Accepted", None
        if name in self.texts:
            if name.startswith("Meter") or name.startswith("StopTxn"):
                items = [m for m in text.split(",") if m]
                if len(items) > 8 or any(m not in MEASURANDS for m in items):
                    return "Rejected", None
            self.texts[name] = text
            return "Accepted", None
        for key, row in _SETTINGS:
            if key == name:
                return _setting_change(row, text, settings)
        if self.read(name, settings, True) is not None:
            return "Rejected", None                 # read-only
        return "NotSupported", None


def _setting_change(row, text, settings):
    if row == "ocpp_auth_key":                      # hex, even length, <= 40 digits (3.2)
        if len(text) % 2 or len(text) > 40:
            return "Rejected", None
        try:
            text = binascii.unhexlify(text).decode()
        except (ValueError, UnicodeError):
            return "Rejected", None
        error = text_rules.auth_key_error(text)
    elif row == "ocpp_auto_auth":
        low = text.lower()
        if low not in ("true", "false"):
            return "Rejected", None
        return "Accepted", {row: 1 if low == "true" else 0}
    elif row == "ocpp_backend_url":
        error = text_rules.backend_url_error(text)
    elif row == "ocpp_cb_id":
        error = text_rules.charge_box_id_error(text)
    else:
        error = None if len(text) <= 20 and text_rules.printable(text) else "bad idTag"
    if error is not None:
        return "Rejected", None
    return "Accepted", {row: text}        # the link reconnects with a new URL or id
