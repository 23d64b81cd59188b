"""Host NVM: 8 KB kept in a file, rewritten on every write like the ESP32-S3's NVS blob.

A file of another size is not an NVM image: it is reported (`problem`) and the
controller boots on an erased NVM, that is on defaults, as the firmware does with a
blank chip; the file is replaced by a proper image on the first save. A file of the
right size with damaged records is the firmware's to judge (its boot message says so).
"""

import os

from smartevse.settings.nvm import NVM_SIZE


class NvmFileError(ValueError):
    """The NVM file cannot be used at all (a folder, no permission)."""


class FileNVM(bytearray):
    """A bytearray of NVM_SIZE whose slice assignments go straight to `path`."""

    persistent = True

    def __init__(self, path):
        data = b""
        self.problem = None
        try:
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read(NVM_SIZE + 1)
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            raise NvmFileError(f"cannot use {path} as the NVM file: {exc.strerror}") from None
        if data and len(data) != NVM_SIZE:
            size = f"{len(data)} bytes" if len(data) <= NVM_SIZE else f"more than {NVM_SIZE} bytes"
            self.problem = (f"{path} holds {size}, not a {NVM_SIZE}-byte NVM image: "
                            "booting on defaults; the file is replaced on the first save")
            data = b""
        super().__init__(data + b"\xff" * (NVM_SIZE - len(data)))
        self.path = path

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
