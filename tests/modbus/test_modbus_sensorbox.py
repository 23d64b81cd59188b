"""The Sensorbox v2 as an installer meets it: its extended registers, the SB2 WIFI sync over
register 0x0801, and the menu rows it makes visible (modbus.md 8.4, settings-and-menu.md 1.2)."""

from sim import Simulation
from smartevse.settings import facts


def _sensorbox_sim(wifi_mode=1, connected=True, settings=None):
    s = Simulation(settings=dict({"MODE": "Smart"}, **(settings or {})))
    box = s.bus.device_at(0x0A)          # the Sensorbox the installer wired (SimSensorbox)
    box.wifi_mode = wifi_mode
    if connected:
        box.join_wifi((192, 168, 1, 42))
    s.plant.mains.load_da(60, 70, 80)
    return s, box


def _shown(s, key):
    app = s.app
    return facts.visible(facts.index(key), app.settings.values, app.menu_live)


def test_the_extended_registers_show_wifi_ip_time_and_portal_password():
    """Given a Sensorbox v2 (software version 1, 32 registers) on the network at
    192.168.1.42 measuring with its CTs, when 6 s pass, then the controller reads 32
    registers and shows the CT source, Wi-Fi connected, its IP, its time, its MAC and the
    portal password in reading order (the Sensorbox sends it reversed; 8.4)."""
    s, box = _sensorbox_sim()
    s.advance(6.0)
    o = s.observe()
    sb = o["modbus"]["sensorbox"]
    assert sb["version"] == 1 and sb["source"] == "CT" and sb["grid"] == "4Wire"
    assert sb["wifi_connected"] is True and sb["wifi_mode"] == 1 and sb["time_set"] is True
    assert sb["ip"] == "192.168.1.42" and sb["mac"] == "12:34:56:78"
    assert sb["time"] == "2026-11-30 14:05" and sb["portal_password"] == "abcd1234"
    assert o["mains_da"] == [60, 70, 80]


def test_the_first_read_adopts_the_sensorbox_wifi_mode_without_writing_it():
    """Given SB2 WIFI Disabled in the controller and a Sensorbox whose Wi-Fi is on, when the
    first extended reply comes, then SB2 WIFI becomes Enabled (the first read adopts the
    Sensorbox's mode) and nothing is written to 0x0801 (8.4)."""
    s, box = _sensorbox_sim(wifi_mode=1)
    s.advance(6.0)
    assert s.app.settings.values["sb2_wifi_mode"] == 1
    assert box.wifi_writes == []


def test_sb2_wifi_set_in_the_menu_is_written_and_the_portal_returns_to_enabled_once_joined():
    """Given a Sensorbox with Wi-Fi off, adopted at first contact, when SB2 WIFI is set to
    SetupWifi, then the controller writes 0x0801 = 2 (start the portal); when the installer
    finishes the portal and the Sensorbox joins the network, then SB2 WIFI goes back to
    Enabled and 0x0801 = 1 is written, once each (8.4)."""
    s, box = _sensorbox_sim(wifi_mode=0, connected=False)
    s.advance(6.0)
    assert s.app.settings.values["sb2_wifi_mode"] == 0 and box.wifi_writes == []
    s.configure({"sb2_wifi_mode": "SetupWifi"})
    s.advance(4.0)
    assert box.wifi_writes == [2] and s.observe()["modbus"]["sensorbox"]["portal"] is True
    box.join_wifi()
    s.advance(6.0)
    assert s.app.settings.values["sb2_wifi_mode"] == 1
    assert box.wifi_writes == [2, 1] and box.wifi_mode == 1
    s.advance(10.0)
    assert box.wifi_writes == [2, 1]


def test_grid_and_sb2_wifi_rows_show_only_with_a_sensorbox_v2_reporting_cts():
    """Given Smart mode with a Sensorbox, when a v2 (version 1) measuring with CTs has
    answered, then the menu shows GRID and SB2 WIFI; with a v1 (version 0, 20 registers)
    neither, and with a v2 whose P1 meter supplies the currents no GRID (8.4,
    settings-and-menu.md 1.2 rows 6 and 7)."""
    s, box = _sensorbox_sim()
    assert not _shown(s, "grid") and not _shown(s, "sb2_wifi_mode")
    s.advance(6.0)
    assert _shown(s, "grid") and _shown(s, "sb2_wifi_mode")

    v1, box1 = _sensorbox_sim()
    box1.version = 0
    box1.v2 = False
    v1.advance(6.0)
    assert v1.observe()["modbus"]["sensorbox"]["version"] == 0
    assert not _shown(v1, "grid") and not _shown(v1, "sb2_wifi_mode")

    p1, box2 = _sensorbox_sim()
    box2.p1 = True
    p1.advance(6.0)
    assert p1.observe()["modbus"]["sensorbox"]["source"] == "P1"
    assert not _shown(p1, "grid") and _shown(p1, "sb2_wifi_mode")


def test_a_sensorbox_reply_without_new_data_is_no_reading():
    """Given a Sensorbox whose flags register says no new data (reg 1 low byte 0), when
    12 s pass in Smart mode, then no reading is taken and CT_NOCOMM is raised after the 11 s
    of charging.md 3.5 (8.4: no timeout reset)."""
    s, box = _sensorbox_sim()
    original = box.registers

    def no_new_data():
        words = original()
        words[1] = 0
        return words
    box.registers = no_new_data
    s.advance(13.0)
    o = s.observe()
    assert o["modbus"]["mains"]["readings"] == 0 and "CT_NOCOMM" in o["errors"]


def test_a_sensorbox_swapped_for_a_v1_is_read_again_with_20_registers():
    """Given a Sensorbox v2 read with 32 registers, when it is replaced by a v1 (20
    registers, which refuses a 32-register read with exception 02), then after one refused
    read the controller asks 20 registers again and the mains readings go on without
    CT_NOCOMM in Smart mode (8.4: the read size follows the version)."""
    s, box = _sensorbox_sim()
    s.advance(6.0)
    box.version = 0
    box.v2 = False
    s.plant.mains.load_da(30, 40, 50)
    s.advance(8.0)
    o = s.observe()
    assert o["modbus"]["exceptions"] == 1 and o["modbus"]["sensorbox"]["version"] == 0
    assert o["mains_da"] == [30, 40, 50] and o["errors"] == []


def test_an_sb2_wifi_change_survives_lost_replies():
    """Given a Sensorbox v2 with Wi-Fi on, adopted, when SB2 WIFI is set to SetupWifi while
    the bus loses every reply for 5 s, then once replies come again the controller reads 20
    registers, then 32, and writes 0x0801 = 2: the setting stays SetupWifi (a lost reply
    never makes the controller adopt the Sensorbox's mode over the menu's change; 8.4, 1.3)."""
    s, box = _sensorbox_sim(wifi_mode=1, connected=False)
    s.advance(6.0)
    s.bus.faults(drop=1.0)
    s.configure({"sb2_wifi_mode": "SetupWifi"})
    s.advance(5.0)
    assert s.observe()["modbus"]["timeouts"] > 0
    s.bus.faults(drop=0.0)
    s.advance(8.0)
    assert box.wifi_writes == [2] and s.app.settings.values["sb2_wifi_mode"] == 2
