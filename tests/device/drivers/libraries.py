# Each pinned Adafruit library imports under MicroPython (requirements-device.txt).
import json
failed = {}
for name in ("adafruit_display_text.bitmap_label", "adafruit_display_text.label",
             "adafruit_displayio_ssd1306", "adafruit_bitmap_font.bitmap_font",
             "adafruit_ticks", "adafruit_logging",
             "adafruit_minimqtt.adafruit_minimqtt", "adafruit_connection_manager",
             "adafruit_pn532.adafruit_pn532", "adafruit_pn532.uart",
             "adafruit_bus_device.i2c_device", "neopixel", "adafruit_pixelbuf"):
    try:
        __import__(name)
    except Exception as exc:
        failed[name] = "%s: %s" % (type(exc).__name__, exc)
print("RESULT " + json.dumps({"failed": failed}))
