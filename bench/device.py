"""Device figures for `python -m bench`, from the MicroPython gate (tests/device/mpy_gate.py):
pystack depth (device-equivalent), live heap after boot and while charging, the settings
table's heap, bytes allocated per pass of each service."""
import os
import sys

_GATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "device")


def figures():
    """A dict of figures, or {"skipped": reason} when Node or the package is missing."""
    sys.path.insert(0, _GATE)
    import mpy_gate

    try:
        mpy_gate.ensure_micropython()
    except mpy_gate.Unavailable as exc:
        return {"skipped": str(exc)}
    found = mpy_gate.device_figures(with_pystack=True)
    modbus = mpy_gate.run("modbus_poll.py").results()
    found["modbus_frames"] = modbus["frames"]
    found["modbus_frame_bytes"] = modbus["allocated"]
    rest = mpy_gate.run("rest_heap.py").results()
    found["rest_get_b"] = rest["get_b"]
    found["rest_b"] = rest["rest_b"]
    rfid = mpy_gate.run("rfid_tap.py").results()
    found["rfid_step_bytes"] = rfid["allocated_per_step"]
    found["rfid_tap_charges"] = rfid["snapshots"]["charging"]["contactor1"]
    found["http_device"] = mpy_gate.run("http_device.py").results()
    found["mqtt_round"] = mpy_gate.run("mqtt_round.py").results()
    with_page = mpy_gate.start("ws_data_device.py", setup="BROWSER = True\nSTREAM = False\n")
    without = mpy_gate.start("ws_data_device.py", setup="BROWSER = False\nSTREAM = False\n")
    with_stream = mpy_gate.start("ws_data_device.py", setup="BROWSER = False\nSTREAM = True\n")
    page = mpy_gate.finish(with_page).results()
    base_b = mpy_gate.finish(without).results()["heap_end"]
    found["ws_data_b"] = page["heap_end"] - base_b
    found["ws_data_step_bytes"] = page["step_bytes"]
    stream = mpy_gate.finish(with_stream).results()
    found["diag_stream_b"] = stream["heap_end"] - base_b
    found["diag_stream_step_bytes"] = stream["step_bytes"]
    return found


def print_figures():
    found = figures()
    print("Device figures (MicroPython 1.27 WebAssembly, CircuitPython stand-ins, .py)")
    if "skipped" in found:
        print("  skipped: " + found["skipped"])
        return
    print(f"  pystack, deepest chain (device-equivalent): {found['pystack_b']:6d} B (target <= 1150)")
    print(f"  live heap after boot:                       {found['heap_boot_b']:6d} B"
          f" (stand-in modules, C on the device, taken out: {found['heap_standins_b']} B)")
    print(f"  live heap while charging:                   {found['heap_charging_b']:6d} B (target <= 153600 foundation + 8192 modes + 16384 menu + 12288 Modbus)")
    print(f"  of which the foundation with the modes:     {found['foundation_b']:6d} B (target <= 153600 + 8192;"
          f" what the modes' modules add to the rest: {found['modes_b']} B (target <= 8192) by module"
          f" {found['modes_modules_b']})")
    print(f"  of which the Modbus meters add:             {found['modbus_b']:6d} B (target <= 12288)"
          f" by module {found['modbus_modules_b']}")
    print(f"  Modbus with an Eastron EV meter too:        {found['modbus_ev_b']:6d} B (target <= 12288;"
          " meter_rows.py imported: its requests and decoders; the table module dropped once"
          " the row is built)")
    print(f"  Modbus poll rounds: {found['modbus_frame_bytes']} B allocated over "
          f"{found['modbus_frames']} frames (target 0)")
    print(f"  of which the menu and buttons add:          {found['menu_b']:6d} B (+ help texts once shown; target <= 16384,"
          f" <= 24576 with the views)")
    d = found["display"]
    print(f"  OLED view after boot:                       {d['view_b']:6d} B in displayio objects {d['objects']}")
    print(f"  display update, status screen (each 1 s):   {d['status_b']:6d} B allocated,"
          f" {d['status_blits']} glyph blits over 101 updates")
    print(f"  display update, one menu step:              {d['menu_b']:6d} B allocated,"
          f" {d['menu_blits']} glyph blits")
    print(f"  menu idle (help scrolling), per 10 ms pass: {d['menu_idle_b']:6d} B allocated"
          f" (help texts imported on first use: {d['help_import_b']} B)")
    print(f"  RFID adds (PN532 driver, reader, whitelist): {found['rfid_b']:5d} B (target <= 20480),"
          f" reader enabled and polled")
    print(f"  RFID poll step, 100 ms, listening:          {found['rfid_step_bytes']:6d} B allocated on average"
          f" (0 idle; the listen renewed each second allocates); a tap charged the EV:"
          f" {found['rfid_tap_charges']}")
    print(f"  of which the HTTP server on Wi-Fi adds:     {found['http_b']:6d} B (target <= 79872;"
          f" adafruit_ntp, smartevse/net, the REST route table, our own HTTP parse,"
          f" 2 KB per connected client; the interned-name pool step apart,"
          f" {found['http_pool_step_b']} B)")
    print(f"  HTTP and MQTT together on Wi-Fi add:        {found['network_b']:6d} B (target <= 112640;"
          f" GET /settings and a POST answered, a publish round; names at their pool entry,"
          f" the pool step they trigger apart, {found['network_pool_step_b']} B, counted in"
          f" the whole device's figure)")
    http = found["http_device"]
    print(f"  HTTP on the device, bytes per idle pass: step {http['step_bytes']} B (the listener's"
          f" poll: no accept() while nobody waits), answer {http['answer_bytes']} B")
    mqtt = found["mqtt_round"]
    print(f"  MQTT idle, bytes per 100 ms poll:           {mqtt['allocated_per_poll']:6d} B"
          f" ({mqtt['standin_timeout_b']} B of it the stand-in's socket-timeout exception)")
    print(f"  /ws/data with one page open adds:           {found['ws_data_b']:6d} B (target <= 16384;"
          f" released when the last page closes), {found['ws_data_step_bytes']} B per idle pass")
    print(f"  a capture with a /diag/stream client adds:  {found['diag_stream_b']:6d} B (target <= 10240;"
          f" released when the client goes), {found['diag_stream_step_bytes']} B per idle pass")
    print(f"  MQTT connected while charging adds:         {found['mqtt_b']:6d} B (target <= 90112;"
          f" minimqtt ~32 KB of the issue's 110 KB with HTTP) by module {found['mqtt_modules_b']}")
    print(f"  every feature in one heap while charging:   {found['all_features_b']:6d} B (target <= 358400;"
          f" Modbus with an EV meter, menu, RFID, HTTP answering, MQTT connected, OCPP in a"
          f" transaction; OCPP adds {found['all_features_ocpp_b']} B there)")
    print(f"  settings table heap:                        {found['table_b']:6d} B (target < 12288)")
    print(f"  REST API (routes, GET/POST /settings, POST /currents): {found['rest_b']:6d} B"
          f" (GET /settings alone {found['rest_get_b']} B; target <= 24576)")
    for name, value in found["per_pass"].items():
        print(f"  bytes allocated per pass, {name:>10} service: {value:5d} B")
