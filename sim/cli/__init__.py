"""`python -m sim`, the command line: one module per concept.

`options` (the command-line options), `config` (the --config file), `clock` (wall time
to simulated time at a speed), `watch` (running the simulation tick by tick, seeing each
change), `commands` (what a typed line does), `session` (the loop that reads lines and
lets time pass), `screen` (what is printed), `main` (wiring, signals, exit status).
"""
