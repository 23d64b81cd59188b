# The settings table, NVM save and load, and a corrupt slot on nvm.ByteArray semantics
# (docs/architecture.md "One table for all settings": two CRC-checked slots).
import json
import microcontroller
from smartevse.settings.live import Settings
from smartevse.settings.nvm import KIND_SETTINGS, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, RecordStore
from smartevse.settings.persist import Persistence


def boot():
    store = RecordStore(microcontroller.nvm, SETTINGS_OFFSET, SETTINGS_SLOT_SIZE, KIND_SETTINGS)
    settings = Settings()
    persist = Persistence(settings, store)
    return settings, persist, persist.boot()


settings, persist, fresh = boot()
settings.set("current_max", 10)
persist.save_now()
settings.set("current_max", 11)
persist.save_now()
after, _, saved_message = boot()
saved_max = after.values["current_max"]
# Corrupt the newer slot (the second write went to slot B): the older one (10 A) must
# come back. Index reads and writes only: nvm.ByteArray has no buffer protocol.
nvm = microcontroller.nvm
newer = SETTINGS_OFFSET + SETTINGS_SLOT_SIZE
nvm[newer + 8] = nvm[newer + 8] ^ 0xFF
corrupt, _, corrupt_message = boot()
print("RESULT " + json.dumps({
    "fresh": fresh, "saved_max": saved_max, "saved_message": saved_message,
    "corrupt_max": corrupt.values["current_max"], "corrupt_message": corrupt_message}))
