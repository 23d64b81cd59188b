"""The one settings table, live settings and their validation, NVM records and persistence.

table.py (the schema as compact columns), facts.py (what one setting allows and shows),
text_rules.py (OCPP URL, ChargeBoxId, auth key), live.py (the values, the rules between
settings, the NVM payload), changes.py (the one apply path for every source), help.py
(the menu's help texts), nvm.py and persist.py (records and when they are written).
"""
