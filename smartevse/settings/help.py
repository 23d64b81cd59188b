"""The help text of every setting (settings-and-menu.md 1.2 "help text"), for the menu.

Kept apart from the table and packed into one string, one line per setting as
`key text`: the table stays small in RAM (a str object per help text would cost about
64 bytes each on MicroPython), and only the menu, which scrolls these texts, imports
this module. `help_text` slices out one line when it is asked for.
"""

_HELP = """
mode Charging mode: Normal, Smart or Solar
config Type 2 socket or fixed charging cable
lock Kind of cable lock actuator in the socket
loadbl Share one supply between up to 8 SmartEVSEs
mains_meter_type Meter that measures the mains connection
grid Star (4 wire) or delta (3 wire) supply
sb2_wifi_mode WiFi mode of the Sensorbox-2
mains_meter_address Modbus address of the mains meter
ev_meter_type Meter that measures this charger's output
ev_meter_address Modbus address of the EV meter
emcustom_endianness Byte and word order of the custom meter
emcustom_datatype Number format of its registers
emcustom_function Read holding (3) or input (4) registers
emcustom_u_register First register of voltage
emcustom_u_divisor Divide the raw value by this power of ten
emcustom_i_register First register of current
emcustom_i_divisor Divide the raw value by this power of ten
emcustom_p_register First register of power
emcustom_p_divisor Divide the raw value by this power of ten
emcustom_e_register First register of energy
emcustom_e_divisor Divide the raw value by this power of ten
current_main Maximum current per phase of the mains connection
current_min Lowest current per phase the car accepts
current_max Highest current per phase this charger may give
current_max_circuit Maximum current per phase of the charger circuit, shared by all chargers on it
solar_start_current Export (sum of phases) needed before solar charging starts
solar_stop_time Minutes at minimum current without enough sun before charging stops
solar_max_import Grid import (sum of phases) allowed while solar charging
enable_C2 What the second contactor (phases L2/L3) does
switch Function of the external switch input
rcmon Residual current monitor on the RCM input
rfid_reader RFID reader: access control, learn or remove cards
wifi_mode Connect this charger to WiFi or start setup
auto_update Install new stable firmware automatically
app_pairing Make a pairing code for the SmartEVSE app
app_server Connect to the SmartEVSE app server
temp_max Stop charging above this board temperature
current_max_sum_mains Limit on the sum of the three mains phase currents
max_sum_mains_time Minutes over the CAPACITY limit before charging stops
capacity_limit Limit for the 15-minute average import (kW)
prio_strategy Which car gets power first when it is short
rotation_interval Minutes before the charging slot moves on (0 off)
idle_timeout Seconds without charging before a car counts as idle
lcd_pin Code that unlocks the buttons in the web page
ledmode LED colours: standard or public charge point
modes_disabled Hide modes you never want (Smart, Solar)
auth_mode Ask for the LCD PIN before web changes
access Access: OFF, ON or PAUSE, kept over a reboot
card_offset Slot of the card that unlocked in EnableOne
starttime Delayed charging start, epoch s (0 = none)
stoptime Delayed charging stop, epoch s (0 = none)
repeat Repeat the delayed charging window daily
lcdlock Front buttons locked
cablelock Keep the cable locked while idle
circuit_meter_type Meter of the sub-panel circuit
circuit_meter_address Modbus address of the circuit meter
max_circuit_mains Sub-panel current limit (0 = off)
ramp_rate_divisor Smart regulation step divisor
ema_alpha Smoothing of the regulated current (100 = none)
smart_deadband Smart-mode dead band
max_ramp_rate Ramp limit per cycle (0 = off)
oscillation_boost_max Cap on the anti-oscillation boost
idiff_ema_weight Weight (of 4) of a new sample in the difference EMA
linky_hp_bypass Charge in Linky peak hours too
linky_failsafe Linky gate behaviour without Linky data
mains_meter_timeout API mains data staleness timeout (0 = off; charging.md 3.5, D14)
mqtt_host MQTT broker host (empty = MQTT off)
mqtt_port MQTT broker port
mqtt_topic_prefix MQTT topic prefix (empty = SmartEVSE/<serial>)
mqtt_username MQTT user name
mqtt_password MQTT password
mqtt_tls MQTT over TLS
mqtt_change_only Publish a topic only when its value changed
mqtt_heartbeat Republish unchanged topics after this long
ocpp_mode OCPP 1.6J enabled
ocpp_backend_url OCPP central system URL (ws:// or wss://)
ocpp_cb_id OCPP ChargeBoxId
ocpp_auth_key OCPP authorization key
ocpp_auto_auth Start a transaction on plug-in without a card (FreeVend)
ocpp_auto_auth_idtag idTag used for FreeVend
color_off LED colour while access is OFF
color_normal LED colour in Normal mode
color_smart LED colour in Smart mode
color_solar LED colour in Solar mode
color_custom LED colour while the custom button is on
capacity_monthly_peak Highest 15-minute average import this month
capacity_peak_month Month of capacity_monthly_peak as YYYYMM (0 = none)
"""


def help_text(key):
    """The help line of setting `key`, or "" when it has none."""
    start = _HELP.find("\n" + key + " ")
    if start < 0:
        return ""
    start += len(key) + 2
    return _HELP[start:_HELP.find("\n", start)]
