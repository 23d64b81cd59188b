"""The OCPP configuration keys the charge point runs on and their NVM record (3.9)."""
# interfaces.md 3.9, 3.2. The writable numbers and booleans persist as one small NVM
# record (u32 each, in the order of _RW); the measurand lists are reset at every OCPP
# start as the fork does (3.7). What GetConfiguration and ChangeConfiguration do is in
# smartevse/ocpp/configkeys.py, imported only for those messages (device heap).

import struct

# writable keys "name:default" (T/F a boolean key), persisted in this order; one string
# rather than a table of tuples: a single heap object on the device
_RW = ("HeartbeatInterval:86400 ConnectionTimeOut:30 MinimumStatusDuration:0 "
       "StopTransactionOnInvalidId:T StopTransactionOnEVSideDisconnect:T "
       "UnlockConnectorOnEVSideDisconnect:T LocalPreAuthorize:F LocalAuthorizeOffline:T "
       "AllowOfflineTxForUnknownId:F AuthorizeRemoteTxRequests:F MeterValueSampleInterval:60 "
       "ClockAlignedDataInterval:0 TransactionMessageAttempts:3 "
       "TransactionMessageRetryInterval:60 ResetRetries:2 LocalAuthListEnabled:T "
       "WebSocketPingInterval:5 Cst_ReconnectInterval:10 Cst_StaleTimeout:300 "
       "Cst_AuthorizationTimeout:20 Cst_SilentOfflineTransactions:F "
       "Cst_TxStartOnPowerPathClosed:F Cst_PreBootTransactions:F Cst_MeterValuesInTxOnly:T "
       "Cst_StopTxnDataCapturePeriodic:F ConfigureMaxCurrent:16")
RECORD_VERSION = 1


def writable_keys():
    """(name, default) of each writable key, in the record's order."""
    for item in _RW.split():
        name, text = item.split(":")
        yield name, (True if text == "T" else False if text == "F" else int(text))


class Config:
    """The configuration keys' values; `numbers[name]` for the writable numbers."""

    def __init__(self):
        self.numbers = {}
        self.texts = {}
        self.reset()

    def reset(self):
        for name, default in writable_keys():
            self.numbers[name] = default
        self.start()

    def start(self):
        """The lists the fork forces at every OCPP start (3.7)."""
        aligned = "Energy.Active.Import.Register,Power.Active.Import"
        self.texts = {"MeterValuesSampledData": aligned + ",Current.Import,Temperature",
                      "MeterValuesAlignedData": aligned,
                      "StopTxnSampledData": "", "StopTxnAlignedData": ""}

    def encode(self):
        values = [int(self.numbers[name]) & 0xFFFFFFFF for name, _ in writable_keys()]
        return struct.pack("<%dI" % len(values), *values)

    def decode(self, payload):
        """Load persisted values; a record of another length keeps what it can."""
        count = len(payload) // 4
        for i, (name, default) in enumerate(writable_keys()):
            if i >= count:
                break
            value = struct.unpack_from("<I", payload, 4 * i)[0]
            self.numbers[name] = bool(value) if default is True or default is False else value
