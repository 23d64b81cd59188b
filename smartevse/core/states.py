"""The shared enumerations of the charging core (interfaces.md 0.2, charging.md 0).

Every module that speaks of states, error flags, access or modes imports them from here.
"""

from micropython import const

# States (interfaces.md 0.2); MODEM_* 11..14 are not built (12 D6).
STATE_A = const(0)
STATE_B = const(1)
STATE_C = const(2)
STATE_D = const(3)
STATE_COMM_B = const(4)
STATE_COMM_B_OK = const(5)
STATE_COMM_C = const(6)
STATE_COMM_C_OK = const(7)
STATE_ACTSTART = const(8)
STATE_B1 = const(9)
STATE_C1 = const(10)

# Error flags (interfaces.md 0.2).
LESS_6A = const(0x01)
CT_NOCOMM = const(0x02)
TEMP_HIGH = const(0x04)
EV_NOCOMM = const(0x08)
RCM_TRIPPED = const(0x10)
RCM_TEST = const(0x20)
TEST_IO = const(0x40)
BL_FLASH = const(0x80)

ACCESS_OFF = const(0)
ACCESS_ON = const(1)
ACCESS_PAUSE = const(2)

MODE_NORMAL = const(0)
MODE_SMART = const(1)
MODE_SOLAR = const(2)

# Event bits returned by the steps (the app passes them on to MQTT, OCPP, UI, session log).
EVENT_STATE = const(0x001)             # state changed
EVENT_ERROR = const(0x002)             # error_flags changed
EVENT_ACCESS = const(0x004)            # access changed (and persisted)
EVENT_MODE = const(0x008)              # mode changed (and persisted; propagate to nodes)
EVENT_PLUGGED = const(0x010)           # left A: an EV was connected
EVENT_UNPLUGGED = const(0x020)         # entered A from another state
EVENT_CHARGING_STARTED = const(0x040)  # entered C
EVENT_CHARGING_STOPPED = const(0x080)  # left C
EVENT_CONTACTOR = const(0x100)         # contactor1 or contactor2 changed

NR_EVSES = const(8)

# Web names by state id (interfaces.md 0.2; 11..14 are the modem states, not built).
STATE_NAMES = ("Ready to Charge", "Connected to EV", "Charging", "D", "Request State B",
               "State B OK", "Request State C", "State C OK", "Activate", "Charging Stopped",
               "Stop Charging", "Modem Setup", "Modem Request", "Modem Done", "Modem Denied")
# (bit, flag name) for observers and logs (interfaces.md 0.2).
ERROR_NAMES = ((LESS_6A, "LESS_6A"), (CT_NOCOMM, "CT_NOCOMM"), (TEMP_HIGH, "TEMP_HIGH"),
               (EV_NOCOMM, "EV_NOCOMM"), (RCM_TRIPPED, "RCM_TRIPPED"), (RCM_TEST, "RCM_TEST"),
               (TEST_IO, "TEST_IO"), (BL_FLASH, "BL_FLASH"))

# IEC 61851 state shown per state id (interfaces.md 0.2; settings-and-menu.md 3.4): B and C
# with the PWM on are B2/C2; a node waiting for the master (COMM_B, COMM_B_OK), activation
# and B1 have the PWM off; the modem states 11..13 read B1, MODEM_DENIED E. The letter
# alone is the first character.
IEC_STATES = ("A", "B2", "C2", "D", "B1", "B1", "C2", "C2", "B1", "B1", "C1", "B1", "B1", "B1", "E")


def iec_state(state, error_flags):
    """"A", "B1", "B2", "C1", "C2", "D", "E" or "F": any error but LESS_6A forces E,
    an unknown state is F (interfaces.md 0.2)."""
    if error_flags & ~LESS_6A:
        return "E"
    return IEC_STATES[state] if 0 <= state < len(IEC_STATES) else "F"


# --- option values of the settings (settings-and-menu.md 1.1; texts beside the table) ------
# Enumerations keep their numbers forever (6.3).
CONFIG_SOCKET = const(0)
CONFIG_FIXED = const(1)

LOCK_NONE = const(0)
LOCK_SOLENOID = const(1)
LOCK_MOTOR = const(2)

LOADBL_STANDALONE = const(0)
LOADBL_MASTER = const(1)
LOADBL_FIRST_NODE = const(2)            # 2..8: Node 1..7 (Modbus address = loadbl)

METER_DISABLED = const(0)               # meter type numbers: modbus.md 8.2
METER_SENSORBOX = const(1)
METER_API = const(9)
METER_HOMEWIZARD_P1 = const(13)
METER_CUSTOM = const(19)
SENSORBOX_ADDRESS = const(10)           # 1.4 rule 2

C2_NOT_PRESENT = const(0)
C2_ALWAYS_OFF = const(1)
C2_SOLAR_OFF = const(2)
C2_ALWAYS_ON = const(3)
C2_AUTO = const(4)

SWITCH_DISABLED = const(0)
SWITCH_ACCESS_B = const(1)              # push button
SWITCH_ACCESS_S = const(2)              # toggle switch
SWITCH_SMA_SOL_B = const(3)      # Smart/Solar toggle, push button
SWITCH_SMA_SOL_S = const(4)
SWITCH_GRID_RELAY = const(5)
SWITCH_CUSTOM_B = const(6)
SWITCH_CUSTOM_S = const(7)

RFID_DISABLED = const(0)
RFID_ENABLE_ALL = const(1)
RFID_ENABLE_ONE = const(2)
RFID_LEARN = const(3)
RFID_DELETE = const(4)
RFID_DELETE_ALL = const(5)
RFID_REMOTE = const(6)                  # Rmt/OCPP

WIFI_DISABLED = const(0)
WIFI_ENABLED = const(1)
WIFI_SETUP = const(2)

MODES_NO_SMART = const(2)               # modes_disabled bits (charging.md 12 D8)
MODES_NO_SOLAR = const(4)

CUSTOM_FUNCTION_HOLDING = const(3)      # custom meter: Modbus function 3 or 4 (1.4 rule 5)
CUSTOM_FUNCTION_INPUT = const(4)
CUSTOM_FLOAT32 = const(1)               # custom meter data type FLOAT32 (1.4 rule 6)

AUTH_OFF = const(0)
AUTH_REQUIRED = const(1)

LEDMODE_STANDARD = const(0)             # status LED colours (settings-and-menu.md 5.2, 5.3)
LEDMODE_PUBLIC = const(1)
