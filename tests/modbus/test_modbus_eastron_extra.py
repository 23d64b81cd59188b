"""An Eastron-type mains meter's extra reads at t == 0 of the poll cycle: per-phase energy
(step 9) and the Linky/TIC registers (steps 12-16) (modbus.md 3, 8.6)."""

from sim import Simulation


def _eastron_mains(meter_type="Eastron3P"):
    s = Simulation(settings={"mains_meter_type": meter_type, "mains_meter_address": 11})
    s.plant.mains.load_da(100, 50, 20)
    s.plant.mains.phase_imported_mwh = [1500000000, 2500000, 3500]   # 1500 kWh, 2.5 kWh, 3.5 Wh
    meter = s.bus.device_at(11)
    asked = []
    answer = meter.answer

    def recording(request, function):
        asked.append((function, request[2] << 8 | request[3], request[4] << 8 | request[5]))
        return answer(request, function)
    meter.answer = recording
    return s, asked


def test_an_eastron_mains_gives_its_energy_per_phase_every_120_s():
    """Given an Eastron SDM630 as mains meter, when the first cycle runs, then the
    controller reads FC4 0x015A x 6 and shows the import energy per phase in Wh; the read
    comes again at t == 0, every 60 cycles: 3 reads in 250 s (modbus.md 3 step 9, 8.6)."""
    s, asked = _eastron_mains()
    s.advance(2.0)
    assert s.observe()["modbus"]["mains"]["phase_import_wh"] == [1500000, 2500, 3]
    s.advance(248.0)
    assert asked.count((4, 0x015A, 6)) == 3


def test_a_real_eastron_answers_the_linky_total_and_refuses_the_tic_blocks():
    """Given a real Eastron (no TIC gateway), when the first cycle runs, then the Linky reads
    go out in the order of 3 steps 12-16 (342 x 2, 500 x 22, 600 x 30, 30 x 6, 62 x 2); 500 and
    600 are refused with exception 02, counted and ignored: Linky data is "available" (the
    342 read answered) with no tariff bits (8.6, 1.3)."""
    s, asked = _eastron_mains()
    s.advance(2.0)
    linky = [entry for entry in asked if entry[1] in (342, 500, 600, 30, 62)]
    assert linky == [(4, 342, 2), (4, 500, 22), (4, 600, 30), (4, 30, 6), (4, 62, 2)]
    o = s.observe()["modbus"]
    assert o["exceptions"] == 2 and o["linky"]["available"] is True
    assert o["linky"]["status"] == 0


def test_a_tic_gateway_reports_peak_hours_and_the_contracted_power():
    """Given a Linky TIC-to-Modbus gateway emulating an Eastron in peak hours (HP) with
    9.0 kVA contracted, when the first cycle runs, then the controller's Linky status has
    bit 3 HP (not bit 4 HC) and bit 6 HP/HC tariff, reads 9.00 kVA at register 609, and
    REST's linky_available / linky_is_hp say 1 / 1; when MAINS MET becomes the Sensorbox,
    then they say 0 (8.6, interfaces.md)."""
    s, _ = _eastron_mains()
    s.plant.mains.tic_gateway(peak=True, contracted_kva=9.0)
    s.advance(2.0)
    linky = s.observe()["modbus"]["linky"]
    assert linky["status"] == 0x08 | 0x40
    block = s.rest("GET", "/settings")[1]["settings"]
    assert (block["linky_available"], block["linky_is_hp"], block["linky_is_hc"]) == (1, 1, 0)
    assert s.app.modbus.eastron.hundredths(609) == 900
    assert s.app.modbus.eastron.word(624) == 2026
    s.configure({"mains_meter_type": "Sensorbox"})
    block = s.rest("GET", "/settings")[1]["settings"]
    assert (block["linky_available"], block["linky_is_hp"]) == (0, 0)   # gone with the meter


def test_a_one_phase_eastron_gets_the_linky_reads_but_no_per_phase_energy():
    """Given an Eastron SDM120 (type 10) as mains meter, when the first cycle runs, then no
    per-phase energy is asked (step 9 is for 3P and inverted only) but the Linky reads are
    (steps 12-16 for types 4, 5, 10)."""
    s, asked = _eastron_mains("Eastron1P")
    s.advance(2.0)
    assert (4, 0x015A, 6) not in asked and (4, 342, 2) in asked


def test_other_mains_meters_get_no_extra_reads():
    """Given a Finder 7E as mains meter, when 4 s pass, then only its currents (and no
    Eastron extra register) are asked (8.6: mains types 4, 5, 10 only)."""
    s = Simulation(settings={"mains_meter_type": 3, "mains_meter_address": 11})
    meter = s.bus.device_at(11)
    asked = []
    answer = meter.answer
    meter.answer = lambda request, fc: asked.append(request[2] << 8 | request[3]) or answer(request, fc)
    s.advance(4.0)
    assert set(asked) == {0x100E} and s.app.modbus.eastron is None
