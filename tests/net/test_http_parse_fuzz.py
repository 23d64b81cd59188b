"""The request parse (smartevse/net/http_text.py) under any bytes a client can send: a
request it takes apart exactly, anything else a ValueError or UnicodeError (answered 400),
never another exception (interfaces.md 1.1; issue 11 "Bad input")."""

from hypothesis import given, settings, strategies as st

from smartevse.net import http_text

_TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
                 min_size=1, max_size=12)
_VALUE = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=20)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_a_client_error(raw):
    """Given any bytes as a request, when they are parsed, then the answer is a request
    (method, path, query, head, body) or ValueError/UnicodeError: the server answers 400."""
    try:
        method, path, query, head, body = http_text.parse_request(raw)
    except (ValueError, UnicodeError):
        return
    assert isinstance(method, str) and isinstance(path, str) and "?" not in path
    assert isinstance(query, str) and isinstance(head, str) and isinstance(body, bytes)


@settings(max_examples=200, deadline=None)
@given(method=st.sampled_from(["GET", "POST", "DELETE"]),
       path=_TOKEN.map(lambda t: "/" + t),
       query=st.lists(st.tuples(_TOKEN, _TOKEN), max_size=3),
       headers=st.dictionaries(_TOKEN, _VALUE.filter(lambda v: v.strip() == v), max_size=4),
       body=st.binary(max_size=40))
def test_a_well_formed_request_is_taken_apart_exactly(method, path, query, headers, body):
    """Given a well-formed request with a query, headers and a body, when it is parsed,
    then method, path, each parameter (first value wins), each header (any case) and the
    body come back as sent."""
    target = path + ("?" + "&".join(k + "=" + v for k, v in query) if query else "")
    lines = ["%s %s HTTP/1.1" % (method, target)]
    lines += ["%s: %s" % item for item in headers.items()]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    got_method, got_path, got_query, head, got_body = http_text.parse_request(raw)
    assert (got_method, got_path, got_body) == (method, path, body)
    first = {}
    for key, value in query:
        first.setdefault(key, value)
    assert http_text.parse_params(got_query, {}) == first
    for name, value in headers.items():
        if sum(1 for other in headers if other.lower() == name.lower()) == 1:
            assert http_text.header(head, name.lower()) == value

