"""Decoding a HomeWizard P1 answer (modbus.md 8.7): numbers read as decimal text, exact."""

from smartevse.net import p1_data


def _answer(body, head=b"Content-Type: application/json\r\n"):
    return b"HTTP/1.1 200 OK\r\n" + head + b"\r\n" + body


def _decode(raw):
    out = [0] * 9
    return p1_data.decode(raw, out), out


def test_large_energy_counters_are_exact_in_wh_and_currents_truncate_to_deciamps():
    """Given 35264.809 kWh imported and 7867.813 exported, L1 -11.439 A at -2725 W, then
    35264809 Wh and 7867813 Wh (a 32-bit float would miss by Wh), L1 -11.4 A (x10, the
    magnitude's sign from the power), one phase."""
    error, out = _decode(_answer(b'{"total_power_import_kwh": 35264.809, '
                                 b'"total_power_export_kwh":7867.813,"active_power_l1_w":-2725.0,'
                                 b'"active_current_l1_a":-11.439}'))
    assert error is None and out == [-114, 0, 0, 1, 35264809, 7867813, -2725, 0, 0]


def test_a_positive_current_with_a_negative_power_is_export_and_no_power_is_import():
    """Given L1 2.0 A at -460 W and L2 3.0 A with no power field, then L1 -2.0 A (the power
    decides, 8.7) and L2 +3.0 A; energies of 0 are not taken (-1)."""
    error, out = _decode(_answer(b'{"active_current_l1_a":2,"active_power_l1_w":-460,'
                                 b'"active_current_l2_a":3.0,"total_power_import_kwh":0}'))
    assert error is None and out == [-20, 30, 0, 2, -1, -1, -460, 0, 0]


def test_an_answer_is_complete_by_its_content_length():
    """Given Content-Length, then `complete` says when its bytes are in; without it the
    close ends the answer (the request is HTTP/1.0)."""
    body = b'{"active_current_l1_a":1.5}'
    sized = _answer(body, b"Content-Length: %d\r\n" % len(body))
    assert p1_data.complete(bytearray(sized), len(sized))
    assert not p1_data.complete(bytearray(sized), len(sized) - 1)
    assert not p1_data.complete(bytearray(_answer(body)), len(_answer(body)))
    assert _decode(sized) == (None, [15, 0, 0, 1, -1, -1, 0, 0, 0])


def test_bad_answers_name_their_error():
    """Given a non-200 status, a cut body, a value that is not a plain number, no current
    field, or no HTTP at all, then an error text and no reading."""
    assert _decode(b"HTTP/1.1 503 Busy\r\n\r\n")[0] == "HTTP 503"
    assert _decode(_answer(b'{"active_current_l1_a": 1.'))[0] == "bad JSON"
    assert _decode(_answer(b'{"active_current_l1_a": "x"}'))[0] == "bad JSON number"
    assert _decode(_answer(b'{"active_current_l1_a": 1e3}'))[0] == "bad JSON number"
    assert _decode(_answer(b'{"active_power_l1_w": 5}'))[0] == "no active_current_l1_a"
    assert _decode(b"SSH-2.0-OpenSSH\r\n")[0] == "bad HTTP answer"
