"""The update manifest: is the firmware on the drive complete? (architecture.md "Firmware update")

`manifest.json` at the drive root lists every shipped file with its size and CRC32 and the
firmware version. `tools/bundle.py` writes it (with `build`) after all other files;
`code.py` checks it at boot (with `verify`) and runs the safe mode on any mismatch, so a
half-copied drag-and-drop update never runs. Pure and device-safe: file access goes
through an injected `opener` (the builtin `open` on the device), files are read in chunks
into one buffer (the ESP32-S3 has little RAM to spare for whole files).

    {"format": 1, "version": "0.1.0",
     "files": [["boot.py", 1234, "1c291ca3"], ["code.py", 812, "..."], ...]}
"""
import binascii
import json

from micropython import const

MANIFEST_NAME = "manifest.json"
FORMAT = const(1)
_CHUNK = const(1024)


def join(root, rel):
    """Path of `rel` (a manifest path, "/"-separated) under the drive root `root`."""
    if root.endswith("/"):
        return root + rel
    return root + "/" + rel


def file_crc(path, opener=open, buf=None):
    """(size in bytes, CRC32) of one file, read in chunks into `buf`."""
    if buf is None:
        buf = bytearray(_CHUNK)
    view = memoryview(buf)
    size = 0
    crc = 0
    with opener(path, "rb") as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            crc = binascii.crc32(view[:n], crc)
            size += n
    return size, crc & 0xFFFFFFFF


def build(root, paths, version, opener=open):
    """Manifest text for the files `paths` (relative, "/"-separated) under `root`."""
    buf = bytearray(_CHUNK)
    files = []
    for rel in paths:
        size, crc = file_crc(join(root, rel), opener, buf)
        files.append([rel, size, "%08x" % crc])
    return json.dumps({"format": FORMAT, "version": version, "files": files})


def _exists(path, opener):
    try:
        with opener(path, "rb"):
            return True
    except OSError:
        return False


def load(root, opener=open):
    """The parsed manifest dict, None when there is none, or an error string."""
    try:
        f = opener(join(root, MANIFEST_NAME), "rb")
    except OSError:
        return None
    try:
        with f:
            data = json.load(f)
        if data["format"] > FORMAT:
            return "manifest format %d unknown" % data["format"]
        for entry in data["files"]:
            if len(entry) != 3:
                return "manifest unreadable"
        if data["files"]:
            return data
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    return "manifest unreadable"


def verify(root, opener=open, required=False):
    """None when every listed file is present, whole and unchanged, else a short reason.

    Without a manifest (a development checkout) the answer is None unless `required`.
    A `.mpy` entry whose `.py` twin also exists is reported: CircuitPython imports the
    `.py` first, so a stale source would shadow the new compiled module.
    """
    data = load(root, opener)
    if data is None:
        return "missing " + MANIFEST_NAME if required else None
    if isinstance(data, str):
        return data
    buf = bytearray(_CHUNK)
    for entry in data["files"]:
        rel = entry[0]
        path = join(root, rel)
        try:
            size, crc = file_crc(path, opener, buf)
        except OSError:
            return "missing " + rel
        if size != entry[1]:
            return "size mismatch " + rel
        if "%08x" % crc != entry[2]:
            return "crc mismatch " + rel
        if rel.endswith(".mpy") and _exists(path[:-4] + ".py", opener):
            return "stale " + rel[:-4] + ".py"
    return None
