"""The settings table and the Settings model (settings-and-menu.md 1.1-1.5, 6.3)."""

import struct

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from smartevse.settings.nvm import RECORD_OVERHEAD, SETTINGS_SLOT_SIZE
from smartevse.settings import facts
from smartevse.settings.facts import label_of
from smartevse.settings.live import SCHEMA_VERSION, Settings
from smartevse.settings.table import (COUNT, DEFAULTS, KEYS, MAXS, MENU_COUNT, MINS, NIDS, OPTIONS,
                                      F_OR_ZERO, FLAGS)

# Defaults and limits copied from the spec tables (1.1, 1.5; charging.md 4.9, 10, D14;
# interfaces.md 1.5, 2.4; 5.1 colours): key -> (min, max, default)
SPEC = {
    "mode": (0, 2, 0), "config": (0, 1, 0), "lock": (0, 2, 0), "loadbl": (0, 8, 0),
    "mains_meter_type": (0, 21, 1), "grid": (0, 1, 0), "sb2_wifi_mode": (0, 2, 0),
    "mains_meter_address": (10, 247, 10), "ev_meter_type": (0, 21, 0),
    "ev_meter_address": (11, 247, 12), "emcustom_endianness": (0, 3, 0),
    "emcustom_datatype": (0, 2, 0), "emcustom_function": (3, 4, 4),
    "emcustom_u_register": (0, 65530, 0), "emcustom_u_divisor": (0, 7, 0),
    "emcustom_i_register": (0, 65530, 0), "emcustom_i_divisor": (0, 7, 0),
    "emcustom_p_register": (0, 65534, 0), "emcustom_p_divisor": (0, 7, 0),
    "emcustom_e_register": (0, 65534, 0), "emcustom_e_divisor": (0, 7, 0),
    "current_main": (10, 200, 25), "current_min": (6, 16, 6), "current_max": (6, 80, 13),
    "current_max_circuit": (10, 160, 16), "solar_start_current": (0, 48, 4),
    "solar_stop_time": (0, 60, 10), "solar_max_import": (0, 48, 0), "enable_C2": (0, 4, 3),
    "switch": (0, 7, 0), "rcmon": (0, 1, 0), "rfid_reader": (0, 6, 0), "wifi_mode": (0, 2, 0),
    "auto_update": (0, 1, 0), "app_pairing": (0, 1, 0), "app_server": (0, 1, 0),
    "temp_max": (40, 75, 65), "current_max_sum_mains": (0, 600, 0),
    "max_sum_mains_time": (0, 60, 0), "capacity_limit": (0, 25000, 0),
    "prio_strategy": (0, 2, 0), "rotation_interval": (0, 1440, 0), "idle_timeout": (30, 300, 60),
    "lcd_pin": (0, 9999, 0), "ledmode": (0, 1, 0), "modes_disabled": (0, 6, 0),
    "auth_mode": (0, 1, 0),
    "access": (0, 2, 1), "card_offset": (0, 99, 0), "starttime": (0, 0xFFFFFFFF, 0),
    "stoptime": (0, 0xFFFFFFFF, 0), "repeat": (0, 1, 0), "lcdlock": (0, 1, 0),
    "cablelock": (0, 1, 0), "circuit_meter_type": (0, 21, 0),
    "circuit_meter_address": (10, 247, 14), "max_circuit_mains": (0, 600, 0),
    "ramp_rate_divisor": (1, 20, 4), "ema_alpha": (0, 100, 100), "smart_deadband": (0, 50, 10),
    "max_ramp_rate": (0, 100, 30), "oscillation_boost_max": (0, 20, 10),
    "idiff_ema_weight": (1, 4, 1), "linky_hp_bypass": (0, 1, 0), "linky_failsafe": (0, 1, 0),
    "mains_meter_timeout": (0, 3600, 120), "mqtt_port": (1, 65535, 1883),
    "mqtt_tls": (0, 1, 0), "mqtt_change_only": (0, 1, 1), "mqtt_heartbeat": (10, 300, 25),
    "ocpp_mode": (0, 1, 0), "ocpp_auto_auth": (0, 1, 0),
    "color_off": (0, 0xFFFFFF, 0x000000), "color_normal": (0, 0xFFFFFF, 0x00FF00),
    "color_smart": (0, 0xFFFFFF, 0x00FF00), "color_solar": (0, 0xFFFFFF, 0xFFAA00),
    "color_custom": (0, 0xFFFFFF, 0x0000FF), "capacity_monthly_peak": (0, 10000000, 0),
    "capacity_peak_month": (0, 999912, 0),
}
STRINGS = {"mqtt_host": 64, "mqtt_topic_prefix": 64, "mqtt_username": 64,
           "mqtt_password": 64, "ocpp_backend_url": 200, "ocpp_cb_id": 20,
           "ocpp_auth_key": 40, "ocpp_auto_auth_idtag": 20}
MENU_LABELS = ("MODE", "CONFIG", "LOCK", "PWR SHARE", "MAINS MET", "GRID", "SB2 WIFI",
               "MAINS ADR", "EV METER", "EV ADDR", "BYTE ORD", "DATA TYPE", "FUNCTION",
               "VOL REGI", "VOL DIVI", "CUR REGI", "CUR DIVI", "POW REGI", "POW DIVI",
               "ENE REGI", "ENE DIVI", "MAINS", "MIN", "MAX", "CIRCUIT", "START", "STOP",
               "IMPORT", "CONTACT 2", "SWITCH", "RCMON", "RFID", "WIFI", "AUTOUPDAT",
               "APP PIN", "APP SERVR", "MAX TEMP", "CAPACITY", "CAP STOP", "CAP PEAK",
               "PRIORITY", "ROTATION", "IDLE TMO", "LCD PIN", "LED MODE", "MODES", "WEB AUTH")
STORED = [i for i in range(COUNT) if NIDS[i]]


def at(key):
    return facts.index(key)


def limits(key):
    """(lowest, highest, default) of a setting as the spec writes them: 0 counts as the
    lowest where 0 is allowed below MIN ("0 or 10..600")."""
    i = at(key)
    return (0 if FLAGS[i] & F_OR_ZERO else MINS[i]), MAXS[i], DEFAULTS[i]


def test_table_holds_every_spec_row_with_its_default_and_limits():
    """Given the table, then every row of 1.1 and 1.5 is there with the spec's min, max,
    default, and string rows with their maximal length (1.1, 1.5, D14, 5.1)."""
    assert set(KEYS) == set(SPEC) | set(STRINGS)
    for key, expected in SPEC.items():
        assert limits(key) == expected, key
    for key, maxlen in STRINGS.items():
        assert MAXS[at(key)] == maxlen and DEFAULTS[at(key)] == ""
    assert Settings().values == {k: DEFAULTS[at(k)] for k in KEYS if k != "app_pairing"}


def test_menu_rows_come_first_in_spec_order():
    """Given the table, then the 47 menu rows are first, in 1.1's order, each stored
    under its menu position, and APP PIN is an action that is not stored (1.1 #35)."""
    assert tuple(facts.label(i) for i in range(MENU_COUNT)) == MENU_LABELS
    assert MENU_COUNT == 47 and all(facts.label(i) is None for i in range(47, COUNT))
    assert [NIDS[i] for i in range(47)] == [n if n != 35 else 0 for n in range(1, 48)]
    assert NIDS[at("app_pairing")] == 0 and "app_pairing" not in Settings().values


def test_every_setting_has_its_help_text():
    """Given the table, then every setting has a help line (1.2 "help text"), and the
    menu's scrolling text for MODE is the spec's."""
    from smartevse.settings.help import help_text
    assert all(help_text(key) for key in KEYS)
    assert help_text("mode") == "Charging mode: Normal, Smart or Solar"
    assert help_text("no_such_setting") == ""


def test_the_table_is_tuples_of_plain_values():
    """Given the table, then every column is a tuple (or bytes) with one plain entry per
    setting: no object and no dict per row, which MicroPython would keep as a dict each
    (docs/architecture.md "Device budget": the table under 12 KB)."""
    from smartevse.settings import table
    plain = (int, str, type(None), tuple)
    for name in ("KEYS", "MAXS", "DEFAULTS", "OPTIONS", "FLAGS", "RESTS"):
        column = getattr(table, name)
        assert type(column) is tuple and len(column) == COUNT, name
        assert all(isinstance(v, plain) for v in column), name
    for name in ("NIDS", "MINS"):
        assert type(getattr(table, name)) is bytes and len(getattr(table, name)) == COUNT
    assert type(table.LABELS) is str and table.LABELS.count("|") == MENU_COUNT - 1


def test_field_ids_are_unique_and_fit_a_byte():
    """Given the table, then every stored row has its own NVM id 1..255 (6.3)."""
    nids = [NIDS[i] for i in STORED]
    assert len(set(nids)) == len(nids) and all(0 < n < 256 for n in nids)


def texts(key):
    """A row's option texts by value ("" = a refused value)."""
    return tuple(OPTIONS[at(key)].split("|"))


def test_option_texts_are_the_spec_display_texts():
    """Given enum rows, then their option texts are the exact 1.1 / modbus.md 8.2 texts."""
    assert texts("mode") == ("Normal", "Smart", "Solar")
    assert texts("loadbl")[1:3] == ("Master", "Node 1")
    assert texts("loadbl")[-1] == "Node 7"
    assert texts("mains_meter_type") == (
        "Disabled", "Sensorbox", "Phoenix C", "Finder 7E", "Eastron3P", "InvEastrn", "ABB",
        "SolarEdge", "WAGO", "API", "Eastron1P", "Finder 7M", "Sinotimer", "HmWzrd P1",
        "Schneider", "Chint", "C.Gavazzi", "Orno 3P", "Orno 1P", "Custom", "AcrelEVL2",
        "AcrelMain")
    assert texts("enable_C2")[2] == "Solar Off"
    assert texts("switch")[3:5] == ("Sma-Sol B", "Sma-Sol S")
    assert texts("rfid_reader")[6] == "Rmt/OCPP"
    assert texts("ev_meter_type")[:3] == ("Disabled", "", "Phoenix C")   # mains only: refused
    assert texts("ev_meter_type")[13] == "" and len(texts("ev_meter_type")) == 22


@pytest.mark.parametrize("name, value, expected", [
    ("mode", "Smart", 1), ("mode", "solar", 2), ("lock", "Solenoid", 1),
    ("current_max", 16, 16), ("MAX", "16", 16), ("max", 16.0, 16), ("CONTACT 2", "Solar Off", 2),
    ("enable_C2", "4", 4), ("MAINS MET", "Eastron3P", 4), ("mains_meter_type", 9, 9),
    ("modes_disabled", "No Solar", 4), ("mqtt_change_only", "ON", 1), ("rcmon", "Enabled", 1),
    ("color_solar", "255,170,0", 0xFFAA00), ("capacity_limit", "2500", 2500),
    ("mqtt_host", "broker.local", "broker.local"), ("starttime", 4102444800, 4102444800),
])
def test_parse_takes_numbers_and_option_texts_by_key_or_label(name, value, expected):
    """Given a user value by key or LCD label, when parsed, then the storage value (1.1)."""
    assert Settings().parse(name, value) == (expected, None)


@pytest.mark.parametrize("key, value, limits", [
    ("current_max", 90, "6..80 A"), ("current_max", 5, "6..80 A"),
    ("current_max_sum_mains", 5, "0 or 10..600 A"), ("rotation_interval", 29, "0 or 30..1440 min"),
    ("max_circuit_mains", 9, "0 or 10..600 A"), ("modes_disabled", 3, "0, 2, 4 or 6"),
    ("mains_meter_timeout", 9, "0 or 10..3600 s"), ("mqtt_heartbeat", 5, "10..300 s"),
    ("mode", 3, "0..2"), ("capacity_limit", 25001, "0..25000 W"), ("color_off", -1, "0..16777215"),
    ("ocpp_auto_auth_idtag", "x" * 21, "at most 20"), ("mqtt_host", "a\nb", "printable"),
    ("current_max", "abc", "6..80 A"), ("current_max", 16.5, "6..80 A"),
])
def test_out_of_range_names_setting_and_limits_and_changes_nothing(key, value, limits):
    """Given defaults, when any source sets a bad value (set or parse), then the error
    names the setting and its limits and no value changes (1.1, interfaces.md 1.5)."""
    s = Settings()
    before = dict(s.values)
    for error in (s.set(key, value), s.parse(key, value)[1]):
        assert error and key in error and limits in error
    assert s.values == before and not s.dirty


def test_error_text_matches_the_contract_example():
    """Given MAX, when 90 is set, then "MAX (current_max) must be 6..80 A, got 90"."""
    assert Settings().set("current_max", 90) == "MAX (current_max) must be 6..80 A, got 90"


def test_menu_skips_are_rest_errors_too_and_node_skips_on_nodes():
    """Given EV METER, then Sensorbox / HmWzrd P1 are skipped by the menu (2.4) and
    refused by validation (1.1 notes: skipped values are also rejected by REST/MQTT);
    CONTACT 2 Auto is refused on a node (0.2, 1.3)."""
    s = Settings()
    assert "EV METER" in s.set("ev_meter_type", 1)
    i = at("ev_meter_type")
    assert facts.menu_next(i, 0, True, s.values) == 2
    assert facts.menu_next(i, 12, True, s.values) == 14
    s.set("loadbl", 2)
    assert "on a node" in s.set("enable_C2", 4)
    assert s.set("enable_C2", 3) is None


def test_menu_next_wraps_and_jumps_skipped_values():
    """Given CAPACITY, ROTATION, MODES and MODE, when stepping in the menu, then skipped
    values are jumped and the ends wrap (2.3, 2.4)."""
    s = Settings()
    v = s.values
    assert facts.menu_next(at("current_max_sum_mains"), 0, True, v) == 10
    assert facts.menu_next(at("current_max_sum_mains"), 10, False, v) == 0
    assert facts.menu_next(at("current_max_sum_mains"), 0, False, v) == 600
    assert facts.menu_next(at("rotation_interval"), 0, True, v) == 30
    assert facts.menu_next(at("modes_disabled"), 6, True, v) == 0
    assert facts.menu_next(at("current_max"), 80, True, v) == 6
    v["modes_disabled"] = 2
    assert facts.menu_next(at("mode"), 0, True, v) == 2


def test_label_of_shows_the_display_column():
    """Given values, then label_of gives the 1.1 display texts."""
    assert label_of("current_max", 16) == "16 A"
    assert label_of("rcmon", 0) == "Disabled"
    assert label_of("mains_meter_address", 10) == "10 (0A)"
    assert label_of("emcustom_u_register", 4096) == "4096 1000"
    assert label_of("solar_start_current", 4) == "- 4 A"
    assert label_of("capacity_limit", 2500) == "2.5 kW"
    assert label_of("capacity_limit", 0) == "Disabled"
    assert label_of("solar_stop_time", 0) == "Disabled"
    assert label_of("solar_stop_time", 10) == "10 min"
    assert label_of("current_max_sum_mains", 100) == "100 A"
    assert label_of("emcustom_u_divisor", 3) == "1000"
    assert label_of("lcd_pin", 42) == "0042"
    assert label_of("modes_disabled", 6) == "Norml only"
    assert label_of("emcustom_function", 3) == "3:Hold. Reg"
    assert label_of("temp_max", 65) == "65 C"
    assert label_of("app_pairing", 0) == "Create PIN"
    assert label_of("mqtt_password", "secret") == "********"


def test_find_by_key_or_label_case_insensitive():
    """Given names in any case, then find returns the row (1.1)."""
    assert facts.find("max") == at("current_max")
    assert facts.find("Pwr Share") == at("loadbl")
    assert facts.find("LOADBL") == at("loadbl")
    assert facts.find("nope") == -1 and facts.find(3) == -1


def test_visibility_follows_mode_meter_and_role():
    """Given Normal mode, then meter items are hidden; in Smart they show; MAINS ADR only
    for Modbus meters; PRIORITY only on a master; GRID only with Sensorbox CTs (1.2)."""
    s = Settings()
    v = s.values
    assert facts.visible(at("current_max"), v) and not facts.visible(at("mains_meter_type"), v)
    v["mode"] = 1
    assert facts.visible(at("mains_meter_type"), v) and facts.visible(at("current_main"), v)
    assert not facts.visible(at("mains_meter_address"), v)
    assert not facts.visible(at("grid"), v) and facts.visible(at("grid"), v, {"sb_cts": True})
    v["mains_meter_type"] = 4
    assert facts.visible(at("mains_meter_address"), v)
    assert not facts.visible(at("prio_strategy"), v)
    v["loadbl"] = 1
    assert facts.visible(at("prio_strategy"), v) and facts.visible(at("current_max_circuit"), v)
    v["loadbl"] = 3
    assert not facts.visible(at("mains_meter_type"), v)
    assert not facts.visible(at("access"), v)


@pytest.mark.parametrize("changes", [{}, {"mode": 2, "loadbl": 1, "mains_meter_type": 19},
                                     {"mode": 1, "loadbl": 3, "wifi_mode": 1, "lcd_pin": 1}])
def test_every_menu_row_has_a_visibility_rule_that_decides(changes):
    """Given any of a few configurations, then every menu row's rule answers True or
    False, and the non-menu rows are never shown (1.2)."""
    v = make_values(changes)
    shown = [facts.visible(i, v, {"sb_cts": True, "sb2_version": 3}) for i in range(COUNT)]
    assert all(isinstance(x, bool) for x in shown)
    assert not any(shown[MENU_COUNT:])


def make_values(changes):
    s = Settings()
    s.values.update(changes)
    return s.values


def test_rules_on_load():
    """Given out-of-range and inconsistent values, when the rules run, then each is fixed
    and reported; DeleteAll is signalled for the RFID module (1.4, D3)."""
    s = Settings()
    v = s.values
    v.update(current_max=200, mains_meter_type=1, mains_meter_address=20, rfid_reader=5,
             loadbl=2, enable_C2=4, emcustom_i_register=8, emcustom_datatype=0,
             modes_disabled=2, mode=1, auth_mode=1, lcd_pin=0, mqtt_host="x" * 99)
    notes = s.apply_rules()
    assert v["current_max"] == 13 and v["mains_meter_address"] == 10
    assert v["rfid_reader"] == 0 and s.rfid_erase_pending
    assert v["enable_C2"] == 0 and v["emcustom_datatype"] == 1 and v["emcustom_i_register"] == 0
    assert v["mode"] == 0 and v["auth_mode"] == 0 and v["mqtt_host"] == ""
    assert s.dirty and len(notes) >= 7
    assert any("current_max" in n for n in notes)


def test_smart_without_mains_meter_falls_back_to_normal():
    """Given a standalone unit in Smart without a mains meter, when the rules run, then
    Normal (1.4 rule 7); a node keeps Smart."""
    s = Settings()
    s.values.update(mode=1, mains_meter_type=0)
    s.apply_rules()
    assert s.values["mode"] == 0
    s.values.update(mode=1, loadbl=3)
    assert s.apply_rules() == [] and s.values["mode"] == 1


def test_web_auth_needs_a_pin():
    """Given LCD PIN 0000, when WEB AUTH Required is set, then refused (D3)."""
    s = Settings()
    assert "LCD PIN" in s.set("auth_mode", 1)
    assert s.set("lcd_pin", 1234) is None and s.set("auth_mode", 1) is None


def maximal_settings():
    s = Settings()
    for i in STORED:
        s.values[KEYS[i]] = "~" * MAXS[i] if facts.is_text(i) else MAXS[i]
    return s


def test_record_fits_its_slot_with_maximal_strings():
    """Given every string at its maximal length and every number at its widest, then the
    settings record fits the 912-byte slot (864 B today: 48 B left for new settings;
    docs/architecture.md NVM layout, 6.1)."""
    widest = maximal_settings()
    for i in STORED:                      # a negative minimum may take more bytes
        if not facts.is_text(i) and -MINS[i] > MAXS[i]:
            widest.values[KEYS[i]] = MINS[i]
    assert len(widest.encode()) + RECORD_OVERHEAD <= SETTINGS_SLOT_SIZE


def test_encode_decode_round_trip():
    """Given changed values, when encoded and decoded, then the same values (6.1)."""
    s = maximal_settings()
    t = Settings()
    assert t.decode(s.encode(), SCHEMA_VERSION) == [] and t.values == s.values
    s = Settings()
    s.set("current_max", 32)
    s.set("mqtt_host", "broker")
    s.set("color_custom", 0x123456)
    t = Settings()
    t.decode(s.encode(), SCHEMA_VERSION)
    assert t.values == s.values and not t.dirty


def _field(nid, fmt, value):
    data = struct.pack(fmt, value) if fmt else value
    return bytes((nid, len(data))) + data


def test_older_record_missing_fields_gets_defaults():
    """Given a version-0 record with only MAX, then MAX is read, the rest defaults (6.3)."""
    s = Settings()
    assert s.decode(_field(NIDS[at("current_max")], "<b", 20), 0) == []
    assert s.values["current_max"] == 20 and s.values["mqtt_heartbeat"] == 25


def test_unknown_fields_are_ignored():
    """Given a record with a field id this firmware does not know, then it is skipped and
    the known fields after it are read (6.3)."""
    payload = _field(250, None, b"future!") + _field(NIDS[at("temp_max")], "<h", 70)
    s = Settings()
    notes = s.decode(payload, SCHEMA_VERSION)
    assert s.values["temp_max"] == 70 and "1 unknown" in notes[0]


def test_newer_version_uses_known_fields_and_says_so():
    """Given a record of a newer schema, then known fields are used and the note says the
    record is from newer firmware (6.3)."""
    payload = _field(NIDS[at("current_max")], "<i", 25) + _field(251, "<i", 7)
    s = Settings()
    notes = s.decode(payload, SCHEMA_VERSION + 1)
    assert s.values["current_max"] == 25 and "newer firmware" in notes[0]


def test_truncated_payload_keeps_what_was_read():
    """Given a payload cut inside a field, then earlier fields are used and it says so."""
    payload = _field(NIDS[at("current_max")], "<b", 20) + bytes((NIDS[at("temp_max")], 4, 1))
    s = Settings()
    notes = s.decode(payload, SCHEMA_VERSION)
    assert s.values["current_max"] == 20 and s.values["temp_max"] == 65 and "truncated" in notes[0]


@hsettings(max_examples=300)
@given(st.binary(max_size=1200), st.integers(0, 70000))
def test_decode_never_raises_and_rules_restore_valid_values(payload, version):
    """Given any bytes, when decoded and validated, then no exception and every value is
    inside its limits (6.3, 1.4)."""
    s = Settings()
    s.decode(payload, version)
    s.apply_rules()
    for i in STORED:
        assert s.stored_ok(KEYS[i], s.values[KEYS[i]])
