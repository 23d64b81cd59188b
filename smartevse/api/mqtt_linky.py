"""Decides the `Linky*` MQTT topics (interfaces.md 2.3) from an Eastron-type mains meter's
TIC registers or a Set/LinkyMeter bridge (modbus.md 8.6). Imported while either has data."""
# Flags are 0/1 from the bits of register 600, floats keep 2 decimals (2.2), the date is
# the UINT16 registers 624..629. The registers are kept by modbus/eastron.py.

_FLAGS = ("LinkyIsTempoBlue", "LinkyIsTempoWhite", "LinkyIsTempoRed", "LinkyIsHp",
          "LinkyIsHc", "LinkyIsBaseTariff", "LinkyIsHphcTariff", "LinkyIsTempoTariff",
          "LinkyIsPowerOverflow", "LinkyIsSummer")          # bits 0..9 of register 600
_FLOATS = (("LinkyActiveEnergyTotal", 342), ("LinkyTempoBlueTotal", 500),
           ("LinkyTempoWhiteTotal", 502), ("LinkyTempoRedTotal", 504), ("LinkyTotalHp", 506),
           ("LinkyTotalHc", 508), ("LinkyBlueHc", 510), ("LinkyBlueHp", 512),
           ("LinkyWhiteHc", 514), ("LinkyWhiteHp", 516), ("LinkyRedHc", 518),
           ("LinkyRedHp", 520), ("LinkyContractedPowerKva", 609), ("LinkyInternalTempC", 612),
           ("LinkyActivePowerW", 614), ("LinkyApparentPowerVa", 616),
           ("LinkyCurrentL1A", 618), ("LinkyVoltageL1V", 620),
           ("LinkyCcasnActivePowerW", 622), ("LinkyPowerFactorL1", 30),
           ("LinkyPowerFactorL2", 32), ("LinkyPowerFactorL3", 34), ("LinkyPowerFactor", 62))
_DATE = ("LinkyDateYear", "LinkyDateMonth", "LinkyDateDay", "LinkyDateHour",
         "LinkyDateMinute", "LinkyDateSecond")              # registers 624..629
# The bridge's measures, as Set/LinkyMeter sends them after hp:hc:overflow (2.4)
_BRIDGE = ("LinkyVoltageL1V", "LinkyCurrentL1A", "LinkyApparentPowerVa",
           "LinkyActiveEnergyTotal", "LinkyContractedPowerKva", "LinkyTotalHp", "LinkyTotalHc")
_STATUS_REG = 600
_DATE_REG = 624


def two_decimals(hundredths):
    """1234 -> "12.34", -5 -> "-0.05" (2.2: Linky floats with 2 decimals)."""
    sign = "-" if hundredths < 0 else ""
    hundredths = abs(hundredths)
    return "%s%d.%02d" % (sign, hundredths // 100, hundredths % 100)


def fill(extra, out):
    """Every Linky topic from `extra` (modbus/eastron.EastronExtra with data) into `out`."""
    status = extra.word(_STATUS_REG)
    for bit in range(len(_FLAGS)):
        out[_FLAGS[bit]] = "1" if status >> bit & 1 else "0"
    for name, reg in _FLOATS:
        out[name] = two_decimals(extra.hundredths(reg))
    for i in range(len(_DATE)):
        out[_DATE[i]] = str(extra.word(_DATE_REG + i))


def fill_bridge(feed, out):
    """The topics a Set/LinkyMeter bridge provides, from `feed` (api/mqtt_feeds.LinkyFeed)."""
    # Only its subset: the flags it sends and its seven measures (modbus.md 8.6, 2.4)
    out["LinkyIsHp"] = "1" if feed.is_hp else "0"
    out["LinkyIsHc"] = "1" if feed.is_hc else "0"
    out["LinkyIsPowerOverflow"] = "1" if feed.overflow else "0"
    values = feed.values
    for i in range(len(_BRIDGE)):
        text = values[i]            # checked by the command: [-]digits[.digits]
        sign = -1 if text[:1] == "-" else 1
        whole, _, fraction = text.lstrip("-").partition(".")
        # hundredths, the third decimal rounded half away from zero (the fork's %.2f)
        hundredths = int(whole) * 100 + (int((fraction + "000")[:3]) + 5) // 10
        out[_BRIDGE[i]] = two_decimals(sign * hundredths)
