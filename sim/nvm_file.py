"""Host NVM: 8 KB kept in a file, rewritten on every write like the ESP32-S3's NVS blob."""

import os

from smartevse.settings.nvm import NVM_SIZE


class FileNVM(bytearray):
    """A bytearray of NVM_SIZE whose slice assignments go straight to `path`."""

    persistent = True

    def __init__(self, path):
        data = b""
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read(NVM_SIZE)
        super().__init__(data + b"\xff" * (NVM_SIZE - len(data)))
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        self.flush()

    def flush(self):
        tmp = self.path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(bytes(self))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
