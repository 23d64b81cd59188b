"""The cooperative loop (docs/architecture.md "The cooperative loop")."""

from smartevse.loop import Loop


class FakeClock:
    def __init__(self, start_ms=0):
        self.now_ms = start_ms

    def __call__(self):
        return self.now_ms & ((1 << 29) - 1)


class Recorder:
    def __init__(self):
        self.calls = []

    def service(self, name):
        def run(now_ms):
            self.calls.append((name, now_ms))
        run.__name__ = name
        return run


def make_loop(clock, faults=None, watchdog=None, collect=None):
    faults = [] if faults is None else faults
    return Loop(clock, lambda service, exc: faults.append((service.__name__, str(exc))),
                watchdog=watchdog, collect=collect or (lambda: None))


def run_for(loop, clock, ms, step_ms=10):
    for _ in range(ms // step_ms):
        clock.now_ms += step_ms
        loop.run_once()


def test_services_run_at_their_rates():
    """Given 10 ms, 100 ms and 1 s services, when 2 s pass in 10 ms passes,
    then they ran 200, 20 and 2 times (+1 each at start)."""
    clock = FakeClock()
    rec = Recorder()
    loop = make_loop(clock)
    loop.add_safety(10, rec.service("fast"))
    loop.add(100, rec.service("ui"))
    loop.add(1000, rec.service("second"))
    loop.run_once()
    run_for(loop, clock, 2000)
    counts = {name: sum(1 for n, _ in rec.calls if n == name) for name in ("fast", "ui", "second")}
    assert counts == {"fast": 201, "ui": 21, "second": 3}


def test_safety_services_run_first_and_watchdog_is_fed_after_them():
    """Given safety and other services, when a pass runs, then the safety service runs
    before the watchdog feed, and the watchdog is fed before the others."""
    clock = FakeClock()
    order = []

    class Watchdog:
        def feed(self):
            order.append("feed")

    loop = Loop(clock, lambda s, e: None, watchdog=Watchdog(), collect=lambda: order.append("gc"))
    loop.add(20, lambda now: order.append("led"))
    loop.add_safety(10, lambda now: order.append("safety"))
    loop.add_every_pass(lambda now: order.append("net"))
    loop.run_once()
    assert order == ["safety", "feed", "gc", "led", "net"]


def test_gc_collect_runs_once_per_second_right_after_the_safety_path():
    """Given a loop, when 3 s pass, then gc.collect ran once per second (plus at start)."""
    clock = FakeClock()
    collected = []
    loop = Loop(clock, lambda s, e: None, collect=lambda: collected.append(clock.now_ms))
    loop.add_safety(10, lambda now: None)
    loop.run_once()
    run_for(loop, clock, 3000)
    assert collected == [0, 1000, 2000, 3000]


def test_an_exception_is_reported_and_the_loop_goes_on():
    """Given a service that raises, when passes run, then on_fault gets it every time
    and the other services keep their rates."""
    clock = FakeClock()
    faults = []
    rec = Recorder()

    def broken(now_ms):
        raise ValueError("boom")

    loop = make_loop(clock, faults)
    loop.add_safety(10, broken)
    loop.add(100, rec.service("ui"))
    loop.run_once()
    run_for(loop, clock, 200)
    assert len(faults) == 21 and faults[0] == ("broken", "boom")
    assert loop.faults == 21
    assert len(rec.calls) == 3


def test_a_stall_skips_missed_slots_instead_of_bursting():
    """Given a 1 s service, when the loop stalls 3.5 s, then it runs once on the next
    pass and keeps a 1 s cadence from there."""
    clock = FakeClock()
    rec = Recorder()
    loop = make_loop(clock)
    loop.add(1000, rec.service("second"))
    loop.run_once()
    clock.now_ms += 3500
    loop.run_once()
    loop.run_once()
    assert [t for _, t in rec.calls] == [0, 3500]
    run_for(loop, clock, 1000)
    assert [t for _, t in rec.calls] == [0, 3500, 4500]


def test_the_clock_may_wrap_around():
    """Given ticks_ms near its 2**29 wrap, when 1 s passes across the wrap,
    then the 100 ms service still runs every 100 ms."""
    clock = FakeClock(start_ms=(1 << 29) - 450)
    rec = Recorder()
    loop = make_loop(clock)
    loop.add(100, rec.service("ui"))
    loop.run_once()
    run_for(loop, clock, 1000)
    assert len(rec.calls) == 11
