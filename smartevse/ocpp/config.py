"""The OCPP configuration keys the charge point runs on and their NVM record (3.9)."""
# interfaces.md 3.9, 3.2. The writable numbers and booleans persist as one small NVM
# record (smartevse/ocpp/records.py, u32 each in the order of DEFAULTS); the measurand
# lists are reset at every OCPP
# start as the fork does (3.7). What GetConfiguration and ChangeConfiguration do is in
# smartevse/ocpp/configkeys.py, imported only for those messages (device heap).

# the writable keys' defaults, persisted in this order (their names are configkeys.py's
# NAMES, loaded only for Get/ChangeConfiguration: the names cost no resident heap);
# True/False mark a boolean key
DEFAULTS = (86400, 30, 0, True, True, True, False, True, False, False, 60, 0, 3, 60, 2, True,
            5, 10, 300, 20, False, False, False, True, False, 16)
RECORD_VERSION = 1


class Config:
    """The configuration keys' values; `numbers[i]` for the writable ones in DEFAULTS'
    order (a list: no key names on the device heap)."""

    def __init__(self):
        self.numbers = []
        self.texts = {}
        self.reset()

    def reset(self):
        self.numbers = list(DEFAULTS)
        self.start()

    def start(self):
        """The lists the fork forces at every OCPP start (3.7)."""
        aligned = "Energy.Active.Import.Register,Power.Active.Import"
        self.texts = {"MeterValuesSampledData": aligned + ",Current.Import,Temperature",
                      "MeterValuesAlignedData": aligned,
                      "StopTxnSampledData": "", "StopTxnAlignedData": ""}
