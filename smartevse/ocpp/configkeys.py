"""Decides GetConfiguration and ChangeConfiguration: every key, which are writable, what a
change does (interfaces.md 3.9, 3.2)."""
# Imported only while such a message is answered, then dropped (smartevse/ocpp/
# chargepoint.py `received`): its tables cost no device heap between messages. The keys
# backed by a setting (URL, ChargeBoxId, key, FreeVend) are the settings table's rows,
# changed through the app's settings path by the caller.

import binascii

from smartevse.ocpp.records import DEFAULTS
from smartevse.settings import text_rules

MEASURANDS = ("Energy.Active.Import.Register", "Power.Active.Import", "Current.Import",
              "Current.Offered", "Temperature")
_TEXTS = ("MeterValuesSampledData", "MeterValuesAlignedData", "StopTxnSampledData",
          "StopTxnAlignedData")          # config.texts in this order (records.py)
# the read-only keys and their values, "name=value" (one long text: not interned)
_READ_ONLY = ("MeterValuesSampledDataMaxLength=8 MeterValuesAlignedDataMaxLength=8 "
              "StopTxnSampledDataMaxLength=8 StopTxnAlignedDataMaxLength=8 NumberOfConnectors=1 "
              "GetConfigurationMaxKeys=30 LocalAuthListMaxLength=48 SendLocalListMaxLength=48 "
              "ReserveConnectorZeroSupported=true ChargeProfileMaxStackLevel=8 "
              "ChargingScheduleAllowedChargingRateUnit=Current ChargingScheduleMaxPeriods=24 "
              "MaxChargingProfilesInstalled=10")
# key -> the settings row behind it
_SETTINGS = (("Cst_BackendUrl", "ocpp_backend_url"), ("Cst_ChargeBoxId", "ocpp_cb_id"),
             ("Cst_FreeVendActive", "ocpp_auto_auth"), ("Cst_FreeVendIdTag", "ocpp_auto_auth_idtag"),
             ("AuthorizationKey", "ocpp_auth_key"))


# the writable keys, in records.DEFAULTS' order (the NVM record's)
NAMES = ("HeartbeatInterval ConnectionTimeOut MinimumStatusDuration StopTransactionOnInvalidId "
         "StopTransactionOnEVSideDisconnect UnlockConnectorOnEVSideDisconnect LocalPreAuthorize "
         "LocalAuthorizeOffline AllowOfflineTxForUnknownId AuthorizeRemoteTxRequests "
         "MeterValueSampleInterval ClockAlignedDataInterval TransactionMessageAttempts "
         "TransactionMessageRetryInterval ResetRetries LocalAuthListEnabled WebSocketPingInterval "
         "Cst_ReconnectInterval Cst_StaleTimeout Cst_AuthorizationTimeout "
         "Cst_SilentOfflineTransactions Cst_TxStartOnPowerPathClosed Cst_PreBootTransactions "
         "Cst_MeterValuesInTxOnly Cst_StopTxnDataCapturePeriodic ConfigureMaxCurrent")


def writable_keys():
    """(name, default) of each writable key, in the record's order."""
    return zip(NAMES.split(), DEFAULTS)


def index(name):
    """The index of a writable key in Config.numbers, or -1."""
    i = 0
    for key, _ in writable_keys():
        if key == name:
            return i
        i += 1
    return -1


def _text(value):
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def get(config, keys, settings, standalone):
    """GetConfiguration (3.9): (configurationKey list, unknownKey list)."""
    result = []
    unknown = []
    for name in keys or names():
        value = read(config, name, settings, standalone)
        if value is None:
            unknown.append(name)
        else:
            item = {"key": name, "readonly": value[1]}
            if name != "AuthorizationKey":          # write-only (3.9)
                item["value"] = value[0]
            result.append(item)
    return result, unknown


def names():
    for name, _ in writable_keys():
        yield name
    for name in _TEXTS:
        yield name
    for item in _READ_ONLY.split():
        yield item.split("=")[0]
    yield "SupportedFeatureProfiles"
    for name, _ in _SETTINGS:
        yield name


def read(config, name, settings, standalone):
    """(text, readonly) of one key, or None when unknown."""
    i = index(name)
    if i >= 0:
        return _text(0 if name == "ConfigureMaxCurrent" else config.numbers[i]), False
    if name in _TEXTS:
        return config.texts[_TEXTS.index(name)], False
    if name == "SupportedFeatureProfiles":
        # FirmwareManagement is not offered: updates come by USB drive (issue 13)
        profiles = "Core,LocalAuthListManagement,Reservation,RemoteTrigger"
        return (profiles + ",SmartCharging" if standalone else profiles), True
    for item in _READ_ONLY.split():
        if item.split("=")[0] == name:
            return item.split("=")[1], True
    for key, row in _SETTINGS:
        if key == name:
            return _text(settings[row]), False
    return None


def change(config, name, text, settings):
    """ChangeConfiguration: (status, {setting: value} for the app to apply or None)."""
    numbers = config.numbers
    i = index(name)
    if i >= 0:
        default = numbers[i]
        if default is True or default is False:
            low = text.lower()
            if low not in ("true", "false"):
                return "Rejected", None
            numbers[i] = low == "true"
            return "Accepted", None
        if not text.isdigit() or len(text) > 9:
            return "Rejected", None
        value = int(text)
        if name == "ConfigureMaxCurrent":        # sets MAX once (3.9)
            if not 6 <= value <= 80:
                return "Rejected", None
            return "Accepted", {"current_max": value}
        numbers[i] = value
        return "Accepted", None
    if name in _TEXTS:                          # the measurand lists (3.7)
        items = [m for m in text.split(",") if m]
        if len(items) > 8 or any(m not in MEASURANDS for m in items):
            return "Rejected", None
        config.texts[_TEXTS.index(name)] = text
        return "Accepted", None
    for key, row in _SETTINGS:
        if key == name:
            return _setting_change(row, text, settings)
    if read(config, name, settings, True) is not None:
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
        error = None if len(text) <= 20 and text_rules.printable(text) else "not an idTag"
    if error is not None:
        return "Rejected", None
    return "Accepted", {row: text}        # the link reconnects with a new URL or id
