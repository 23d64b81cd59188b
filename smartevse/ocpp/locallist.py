"""The local authorization list, its NVM record and the offline check of a card
(interfaces.md 3.6, 3.9)."""
# At most 48 idTags of up to 20 characters, each with its status and expiry, stored in
# the NVM record of architecture.md ("OCPP local authorization list", 2 x 1280 B; its
# bytes are smartevse/ocpp/records.py's).
# SendLocalList (OCPP 1.6 5.15) is smartevse/ocpp/installs.py.

MAX_ENTRIES = 48
STATUSES = ("Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx")
RECORD_VERSION = 1


class LocalList:
    """idTag -> (status index, expiry epoch s or 0) and the list version."""

    def __init__(self):
        self.version = 0
        self.tags = {}

    def status(self, tag, now_s):
        """The status text of `tag` at epoch `now_s`, or None when not on the list."""
        entry = self.tags.get(tag)
        if entry is None:
            return None
        if entry[1] and now_s > entry[1]:
            return "Expired"
        return STATUSES[entry[0]]
