"""The charging rules: pilot, IEC 61851 state machine, enumerations, policies, protections, delayed charging."""
