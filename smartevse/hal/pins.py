"""The one pin map of the device board: which ESP32-S3 GPIO drives which EVSE part.

Target: an ESP32-S3 module WITH PSRAM, N8R2 (8 MB flash, 2 MB quad PSRAM) or larger
(N8R8, N16R8: octal PSRAM), on a DevKitC-1 style carrier, under CircuitPython 9.x or 10.x
(boards `espressif_esp32s3_devkitc_1_n8r2`, `_n8r8`, `_n16r8`; names `board.IOxx`).
Why PSRAM: without it CircuitPython leaves about 150 KB of heap, and the firmware with the
network, RFID, Modbus and OCPP keeps up to 350 KB live (architecture.md "Device budget").
The map below avoids GPIO33..GPIO37, so it is the same on quad and octal PSRAM modules.
Read by `smartevse/hal/device_board.py`, `smartevse/startup/safemode.py` and `boot.py` only;
a different carrier board changes this file and nothing else (architecture.md "Layers").

Rules that chose the pins:
- Analog inputs on ADC1 (GPIO1..GPIO10). ADC2 (GPIO11..GPIO20) is shared with the WiFi
  radio on the ESP32-S3 and returns errors while WiFi is up; `analogbufio` (continuous
  mode) accepts ADC1 pins only on the S3.
- Not used: GPIO0, GPIO3, GPIO45, GPIO46 (strapping pins: boot mode, JTAG source, VDD_SPI
  voltage, ROM log; an external load there can stop the module from booting);
  GPIO26..GPIO32 (SPI flash); GPIO33..GPIO37 (octal PSRAM on the R8 modules);
  GPIO19/GPIO20 (native USB: the CIRCUITPY drive and the serial console);
  GPIO43/GPIO44 (UART0: boot ROM and ESP-IDF log output).
- GPIO48 drives the status NeoPixel (the DevKitC-1 v1.0 on-board RGB LED sits there too).
- Outputs that switch mains (contactors) or the pilot must default to "off" while the
  pins float during reset and boot: the driver stages need pull-downs (hardware note).
- Free for later: GPIO10 (ADC1_CH9), GPIO38.
"""
import board
from micropython import const

# Control pilot (charging.md 1.1-1.2)
CP_PWM = board.IO11        # 1 kHz PWM into the +-12 V pilot driver (LEDC, any GPIO)
CP_ADC = board.IO1         # ADC1_CH0: pilot feedback divider
CPOFF = board.IO12         # high = pilot driver isolated (CPOFF relay), EV sees 0 V

# Proximity pilot and temperature (charging.md 7, 3.3)
PP_ADC = board.IO2         # ADC1_CH1: PP pull-up divider
TEMP_ADC = board.IO4       # ADC1_CH3: MCP9700A output

# Mains switching (contactor relay drivers, active high)
CONTACTOR1 = board.IO13    # L1 / N
CONTACTOR2 = board.IO14    # L2 / L3

# Cable lock (charging.md 8): H-bridge inputs A/B and the feedback switch
LOCK_A = board.IO15
LOCK_B = board.IO16
LOCK_IN = board.IO17

# Digital inputs
RCM_IN = board.IO18        # residual-current monitor fault output (high = fault)
SWITCH_IN = board.IO21     # external switch / push button to GND (pull-up)

# Status LED: one WS2812 pixel
NEOPIXEL = board.IO48

# SSD1306 128x64 OLED on I2C, address 0x3C (ADC1 pins used as plain digital pins)
I2C_SDA = board.IO8
I2C_SCL = board.IO9
DISPLAY_I2C_ADDRESS = const(0x3C)

# Front buttons to GND (internal pull-ups). keypad key numbers follow this order.
BUTTON_LEFT = board.IO5    # "<"  key 0
BUTTON_MIDDLE = board.IO6  # "O"  key 1 (held at boot: maintenance mode, boot.py)
BUTTON_RIGHT = board.IO7   # ">"  key 2

# RS485 transceiver (Modbus RTU, modbus.md): DE driven by the UART in RS485 mode
RS485_TX = board.IO39
RS485_RX = board.IO40
RS485_DE = board.IO41

# PN532 RFID reader in HSU (UART) mode
PN532_TX = board.IO42
PN532_RX = board.IO47
