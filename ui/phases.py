"""The per-phase page (settings-and-menu.md decision D9): mains and EV current per phase.

Pure. Rows 0 and 7 stay the status screen's; row 2 names the columns, rows 3-5 hold
`L1` with the mains current ending at x = 64 and the EV current right-aligned at x = 124
(one fixed-width row each: a second text slot per row would cost the heap ~400 B a row).
"""

_NAMES = ("L1", "L2", "L3")


def amps(values_da, phase, fmt_d1):
    return "--" if values_da is None else fmt_d1(values_da[phase]) + "A"


def phase_texts(view, texts, fmt_d1):
    """Fill slots 2..5 of LAYOUT_PHASES: the header, then per phase one fixed-width row
    (6 px a character from x = 4: the mains column ends at x = 64, the EV one at 124)."""
    texts[2] = "     MAINS        EV"
    for phase in range(3):
        texts[3 + phase] = "%s%8s%10s" % (_NAMES[phase], amps(view.mains_da, phase, fmt_d1),
                                          amps(view.ev_phases_da, phase, fmt_d1))
