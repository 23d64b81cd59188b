"""Modbus figures for `python -m bench` (issue 8 "Benchmarks"): CPU time to find and
decode one meter reply on the host, and heap blocks kept per frame (tracemalloc).
The device's bytes per frame come from the gate's Modbus scenario (bench/device.py)."""

import gc
import struct
import time
import tracemalloc

from smartevse.modbus import frame, meter_rows
from smartevse.modbus.meter_poll import MeterData
from smartevse.modbus.transaction import Transaction
from smartevse.modbus.frame import append_crc


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
    framer = Transaction(None)            # the state frame.find_reply reads and writes
    row = meter_rows.row(4)
    meter = MeterData()

    def one():
        framer.start(8, 11, 4, len(reply))
        frame.find_reply(framer, reply, 0, len(reply))
        meter_rows.decode(row, 7, reply, framer.reply_at + 3, meter, False)

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
    measured, minimum, requests = poll_round_ratio()
    print(f"  Modbus: poll round, master + 7 nodes:   {measured:8.0f} ms for {requests:.0f} requests,"
          f" minimum {minimum:.0f} ms: ratio {measured / minimum:.2f} (target < 1.3)")


def poll_round_ratio(nodes=8):
    """(measured ms, minimum ms, requests) of one full poll round of a master with `nodes`
    - 1 nodes, an Eastron mains meter and an Eastron EV meter per controller at 9600 baud.
    The minimum is what modbus.md allows: each request and reply on the wire (10 bits a
    character), 3.5 characters before each reply and the master's 50 ms of bus silence
    between requests (1.2)."""
    from sim import Simulation
    s = Simulation({"mains_meter_type": "Eastron3P", "mains_meter_address": 10,
                    "current_max_circuit": 160}, nodes=nodes)
    for n in range(1, nodes + 1):
        c = s.node(n)
        c.configure({"ev_meter_type": "Eastron3P", "ev_meter_address": 10 + n})
        c.plant.cable(rating_a=32)
        c.plant.ev.pilot("C")
    s.advance(40.0)                          # nodes online, their EV meters known
    poll = s.app.modbus
    port = s.board.rs485
    sent = []
    write = port.write

    def logged(buf):
        sent.append((s.time_s, poll.cycles, bytes(buf)))
        return write(buf)

    port.write = logged
    s.advance(2.0 * nodes + 4.0)             # every controller's EV meter once
    port.write = write
    char_ms = 10000 / 9600
    cycles = sorted({c for _, c, _ in sent})[1:-1]     # whole rounds only
    measured = minimum = requests = 0
    for cycle in cycles:
        frames = [(t, f) for t, c, f in sent if c == cycle]
        start_s, end_s = frames[0][0], frames[-1][0] + len(frames[-1][1]) * char_ms / 1000
        measured += (end_s - start_s) * 1000
        for i, (_, f) in enumerate(frames):
            minimum += len(f) * char_ms + (50 if i else 0)
            if f[0] != frame.BROADCAST_ADDRESS:
                reply = 5 + 2 * (f[4] << 8 | f[5]) if f[1] in (3, 4) else 8
                minimum += 3.5 * char_ms + reply * char_ms
        requests += len(frames)
    return measured / len(cycles), minimum / len(cycles), requests / len(cycles)
