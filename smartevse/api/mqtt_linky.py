"""Decides the `Linky*` MQTT topics (interfaces.md 2.3) from an Eastron-type mains meter's
TIC registers (modbus.md 8.6). Imported only while such a meter has Linky data."""
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
