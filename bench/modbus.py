"""Modbus figures for `python -m bench` (issue 8 "Benchmarks"): CPU time to find and
decode one meter reply on the host, and heap blocks kept per frame (tracemalloc).
The device's bytes per frame come from the gate's Modbus scenario (bench/device.py)."""

import gc
import struct
import time
import tracemalloc

from smartevse.modbus import frame, meter_decode, meter_table
from smartevse.modbus.crc import append_crc


def _reply(address, function, words):
    out = bytearray(5 + 2 * len(words))
    out[0], out[1], out[2] = address, function, 2 * len(words)
    for i, word in enumerate(words):
        out[3 + 2 * i], out[4 + 2 * i] = word >> 8, word & 0xFF
    append_crc(out, 3 + 2 * len(words))
    return out


def eastron_reply():
    """An Eastron SDM630 current reply: FC4 0x0006 x 12, FLOAT32 (8.3)."""
    words = []
    for value in (16.0, 4.5, 8.0, 3680.0, -1035.0, 1840.0):
        words += struct.unpack(">HH", struct.pack(">f", value))
    return _reply(11, 4, words)


def decode_cost(repeats=20000):
    """(us per reply: framer + CRC + currents decode, heap blocks kept per frame)."""
    reply = eastron_reply()
    framer = frame.ReplyFramer()
    row = meter_table.row(4)
    meter = meter_decode.MeterData()

    def one():
        framer.expect(11, 4, len(reply))
        framer.decode(reply, 0, len(reply))
        meter_decode.currents(row, reply, framer.start + 3, meter)

    for _ in range(200):
        one()
    t0 = time.perf_counter()
    for _ in range(repeats):
        one()
    us = (time.perf_counter() - t0) * 1e6 / repeats
    gc.collect()
    tracemalloc.start()
    one()                # the record's values are replaced each frame: trace them from here
    before = tracemalloc.take_snapshot()
    for _ in range(2000):
        one()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    kept = sum(st.count_diff for st in after.compare_to(before, "lineno")
               if "smartevse" in str(st.traceback) and st.count_diff > 0)
    return us, kept / 2000


def print_figures():
    us, kept = decode_cost()
    print(f"  Modbus: find + decode one Eastron reply: {us:8.1f} us (host CPython)")
    print(f"  Modbus: heap blocks kept per frame:     {kept:8.4f} (tracemalloc; target 0)")
