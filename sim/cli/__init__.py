"""`python -m sim`, the command line: one module per concept.

`options` (the command-line options), `config` (the --config file), `lines` (where
command lines come from), `clock` (wall time to simulated time at a speed), `watch`
(running the simulation tick by tick, seeing each change, the event log), `registry`
(the command table and argument rules), `plant_commands`, `controller_commands`,
`flow_commands` (what each typed line does), `settings_list` (the `settings` listing),
`commands` (running one line), `session` (the loop that reads lines and lets time
pass), `screen` (what is printed), `main` (wiring, signals, exit status).
"""
