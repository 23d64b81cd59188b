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
