"""The meters on the bus as a user sees them: the controller reads every meter type of
modbus.md 8.2 over real RTU frames and shows its currents (sim's meters encode on their
own, from the spec's tables)."""

import pytest

from sim import Simulation

SIGNED_BY_POWER = {4, 5, 6, 10, 11, 14, 15, 21}        # 8.3 column "sign"
SINGLE_PHASE = {18, 20}
MODBUS_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16, 17, 18, 20, 21]


def _mains(meter_type, address=11):
    settings = {"mains_meter_type": meter_type}
    if meter_type != 1:
        settings["mains_meter_address"] = address
    s = Simulation(settings=settings)
    s.plant.mains.load_da(125, 45, 65)          # x.5 A: exact in FLOAT32 too
    s.plant.mains.pv_da(0, 95, 0)               # L2 exports 5.0 A
    return s


@pytest.mark.parametrize("meter_type", MODBUS_TYPES)
def test_every_meter_type_reads_the_mains_currents_in_deciamps(meter_type):
    """Given a mains meter of each type (8.2) and L2 exporting 5.0 A, when 3 s pass, then
    the controller shows L1 12.5 A, L2 -5.0 A where the meter signs currents by power
    (else 5.0 A: an RMS current has no sign), L3 6.5 A (L2, L3 = 0 on one-phase meters)."""
    s = _mains(meter_type)
    s.advance(3.0)
    mains = s.observe()["mains_da"]
    l2 = -50 if meter_type in SIGNED_BY_POWER or meter_type == 1 else 50
    expected = [125, 0, 0] if meter_type in SINGLE_PHASE else [125, l2, 65]
    assert mains == expected


def test_the_sensorbox_answers_at_0x0a_whatever_the_mains_address():
    """Given the Sensorbox (type 1) and MAINS ADR 20, when 3 s pass, then the currents
    come from address 0x0A (8.4) and no request went to 20."""
    s = Simulation(settings={"mains_meter_type": 1, "mains_meter_address": 20})
    s.plant.mains.load_da(80, 70, 60)
    s.advance(3.0)
    o = s.observe()
    assert o["mains_da"] == [80, 70, 60] and o["modbus"]["timeouts"] == 0


def test_a_silent_mains_meter_raises_ct_nocomm_after_11_s_and_clears_when_it_answers():
    """Given Smart mode charging with a Sensorbox, when the meter goes silent, then
    CT_NOCOMM within 11..13 s and charging stops; when it answers again, the error clears
    at the next reading and charging resumes (charging.md 3.5, modbus.md 4.6)."""
    s = Simulation(settings={"MODE": "Smart", "MAINS": 25, "MAX": 16})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(10.0)
    assert s.observe()["state"] == "Charging"
    s.plant.mains.online(False)
    s.advance(8.0)                  # the last reply came up to 2 s before: 11 s from it
    assert "CT_NOCOMM" not in s.observe()["errors"]
    s.advance(5.0)
    o = s.observe()
    assert "CT_NOCOMM" in o["errors"] and o["contactor1"] is False
    assert o["modbus"]["timeouts"] >= 5
    s.plant.mains.online(True)
    s.advance(4.0)
    assert "CT_NOCOMM" not in s.observe()["errors"]
    s.advance(20.0)
    assert s.observe()["state"] == "Charging"


def test_the_ev_meter_reads_the_ev_s_draw_power_and_energy():
    """Given an Eastron 3P EV meter at address 12 and the EV charging at 16 A on three
    phases, limited by the car to 15 A, when a minute passes, then the controller shows
    the EV's currents, its power (3 x 15 A x 230 V) and the energy the meter counted
    (8.1, 3 steps 3-7)."""
    s = Simulation(settings={"ev_meter_type": 4, "ev_meter_address": 12, "MAX": 16})
    s.plant.ev.draw_limit_da(150)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(60.0)
    o = s.observe()
    ev = o["modbus"]["ev_meter"]
    draw_da = s.plant.ev.draw_da
    assert o["ev_da"] == draw_da == [150, 150, 150]
    assert ev["power_w"] == 3 * 15 * 230
    # 2 x 16 A x 230 V is 3 Wh in 1 s: the reading is at most one 2 s cycle old
    assert 0 < s.plant.ev_meter.import_wh() - ev["import_wh"] <= 30


def test_the_mains_meter_sees_the_ev_s_draw_on_top_of_the_house():
    """Given a house load of 5 A per phase and the EV charging at 10 A, when read, then
    the mains meter shows 14 A per phase (plant: house - PV + EV)."""
    s = Simulation(settings={"mains_meter_type": 4, "mains_meter_address": 11, "MAX": 10})
    s.plant.ev.draw_limit_da(90)
    s.plant.mains.load_da(50, 50, 50)
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(12.0)
    assert s.plant.ev.draw_da == [90, 90, 90]
    assert s.observe()["mains_da"] == [140, 140, 140]


def test_the_custom_meter_is_read_from_its_settings():
    """Given the custom meter (type 19) as INT16 big endian on FC3, currents at register
    100 in 0.01 A, when read, then the currents in dA (8.5)."""
    s = Simulation(settings={"mains_meter_type": 19, "mains_meter_address": 30,
                             "emcustom_endianness": 3, "emcustom_datatype": 2,
                             "emcustom_function": 3, "emcustom_i_register": 100,
                             "emcustom_i_divisor": 2, "emcustom_p_register": 200,
                             "emcustom_e_register": 300})
    s.plant.mains.load_da(91, 92, 93)
    s.advance(3.0)
    assert s.observe()["mains_da"] == [91, 92, 93]


def test_dropped_and_corrupted_replies_are_counted_and_ignored():
    """Given the bus dropping 30 % and corrupting 30 % of replies, when a minute passes in
    Smart mode, then readings still arrive (no CT_NOCOMM), CRC errors and timeouts are
    counted, no fault reached the loop and no setting changed (issue 8 "Bad input")."""
    s = Simulation(settings={"MODE": "Smart"})
    before = dict(s.app.settings.values)
    s.plant.mains.load_da(40, 40, 40)
    s.bus.faults(drop=0.3, corrupt=0.3)
    s.advance(60.0)
    o = s.observe()
    bus = o["modbus"]
    assert "CT_NOCOMM" not in o["errors"] and o["mains_da"] == [40, 40, 40]
    assert bus["timeouts"] > 0 and bus["crc_errors"] + bus["bad_frames"] > 0
    assert bus["replies"] + bus["timeouts"] + bus["bad_frames"] == bus["requests"]
    assert o["fault"] is None and s.app.loop.faults == 0
    assert s.app.settings.values == before


def test_a_bus_that_drops_everything_raises_ct_nocomm():
    """Given Smart mode, when every reply is dropped, then CT_NOCOMM after 11 s (3.5)."""
    s = Simulation(settings={"MODE": "Smart"})
    s.advance(3.0)
    s.bus.faults(drop=1.0)
    s.advance(13.0)
    assert "CT_NOCOMM" in s.observe()["errors"]


def test_noise_and_another_talker_on_the_bus_do_not_disturb_the_reading():
    """Given garbage bytes injected between and during replies, when read, then the
    readings stay right and the stray bytes are counted."""
    s = Simulation()
    s.plant.mains.load_da(35, 45, 55)
    for at_s in range(10):
        s.bus.inject(b"\x0a\x04\x55\xaa\x00\x13", after_us=1000)
        s.advance(1.0)
    o = s.observe()
    assert o["mains_da"] == [35, 45, 55]
    assert o["modbus"]["stray_bytes"] + o["modbus"]["garbage_bytes"] > 0


def test_bus_faults_refuse_probabilities_outside_0_to_1():
    """Given the simulator, when a fault probability is 1.5, then a clear ValueError."""
    with pytest.raises(ValueError, match="0..1"):
        Simulation().bus.faults(drop=1.5)


def test_a_silent_ev_meter_raises_ev_nocomm_after_64_s_in_smart_mode():
    """Given Smart mode charging with an Eastron EV meter, when the EV meter goes silent,
    then EV_NOCOMM after 64 s without a current reply (not before 60 s) and charging stops;
    when it answers again the error clears (charging.md 3.5, modbus.md 4.6)."""
    s = Simulation(settings={"MODE": "Smart", "MAINS": 25, "ev_meter_type": 4,
                             "ev_meter_address": 12})
    s.plant.cable(rating_a=32)
    s.plant.ev.pilot("C")
    s.advance(10.0)
    assert s.observe()["state"] == "Charging"
    s.plant.ev_meter.online(False)
    s.advance(60.0)
    assert "EV_NOCOMM" not in s.observe()["errors"]
    s.advance(6.0)
    o = s.observe()
    assert "EV_NOCOMM" in o["errors"] and o["contactor1"] is False
    s.plant.ev_meter.online(True)
    s.advance(4.0)
    assert "EV_NOCOMM" not in s.observe()["errors"]


def test_the_sensorbox_is_told_the_grid_setting_once():
    """Given a Sensorbox v2 with CT grid support wired 4-wire, when GRID is set to 3Wire,
    then the controller writes 0x0800 = 2 (bit 1 = 3-wire) once and the Sensorbox reports
    it from then on; its readings go on (8.4)."""
    s = Simulation(settings={"GRID": "3Wire"})
    s.plant.mains.load_da(60, 70, 80)
    s.advance(10.0)
    sensorbox = s.bus.device_at(0x0A)
    assert sensorbox.writes == [2] and sensorbox.grid_bits == 2
    assert s.observe()["mains_da"] == [60, 70, 80]
