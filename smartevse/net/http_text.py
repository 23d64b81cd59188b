"""HTTP text helpers: the request's parse, form/query decoding, the response head (1.1).

No socket, no clock: the HTTP service (smartevse/net/http.py) calls these.
"""
# The parse is ours, not adafruit_httpserver's Request: importing any of its modules runs
# the package's __init__, which imports all of them (~60-100 KB of device heap; issue 11
# "On the device"). It follows that Request: "METHOD PATH VERSION", then "Name: value"
# lines; anything else is malformed (ValueError, answered 400).

_HEX = "0123456789abcdefABCDEF"
# Paths whose POST form body carries parameters (interfaces.md 1.1, 1.11, 1.18);
# every other POST reads its parameters from the query string only.
FORM_PATHS = ("/lcd-verify-password", "/save")
REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           408: "Request Timeout", 409: "Conflict", 413: "Payload Too Large", 429: "Too Many Requests",
           431: "Request Header Fields Too Large", 500: "Internal Server Error",
           503: "Service Unavailable"}


def unquote(text):
    """%XX escapes and '+' of a form or query value decoded (UTF-8)."""
    if "%" not in text and "+" not in text:
        return text
    out = bytearray()
    raw = text.encode()
    i = 0
    n = len(raw)
    while i < n:
        c = raw[i]
        if c == 37 and i + 2 < n and chr(raw[i + 1]) in _HEX and chr(raw[i + 2]) in _HEX:
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
            continue
        out.append(32 if c == 43 else c)
        i += 1
    return out.decode()


def parse_params(text, into):
    """'a=1&b=x%20y' added to the dict `into` (the first value of a key wins)."""
    for pair in text.split("&"):
        if not pair:
            continue
        eq = pair.find("=")
        key = unquote(pair if eq < 0 else pair[:eq])
        if key not in into:
            into[key] = "" if eq < 0 else unquote(pair[eq + 1:])
    return into


def parse_request(raw):
    """(method, path, query, head, body) of a whole request (bytes); `head` is the header
    text for `header`. ValueError (or UnicodeError) when malformed."""
    end = raw.find(b"\r\n\r\n")
    text = (raw if end < 0 else raw[:end]).decode()
    line_end = text.find("\r\n")
    method, path, _ = (text if line_end < 0 else text[:line_end]).split()
    head = "" if line_end < 0 else text[line_end:] + "\r\n"
    for line in head.split("\r\n"):
        if line and ": " not in line:
            raise ValueError("not a header line")
    query = ""
    at = path.find("?")
    if at >= 0:
        path, query = path[:at], path[at + 1:]
    return method, path, query, head, b"" if end < 0 else raw[end + 4:]


def header(head, name):
    """The value of header `name` (lower case) in a request head from `parse_request`, or
    None."""
    at = head.lower().find("\r\n" + name + ": ")
    if at < 0:
        return None
    start = at + len(name) + 4
    return head[start:head.find("\r\n", start)]


def head(status, content_type, length):
    """The response head: one connection per request (Connection: close)."""
    return ("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
            % (status, REASONS.get(status, "Status"), content_type, length)).encode()


def content_length(header_text):
    """Content-Length of a request head (str), 0 when absent, -1 when malformed."""
    lower = header_text.lower()
    at = lower.find("\r\ncontent-length:")
    if at < 0:
        return 0
    end = lower.find("\r\n", at + 2)
    value = lower[at + 17:end if end >= 0 else len(lower)].strip()
    if not value or not all("0" <= ch <= "9" for ch in value):
        return -1
    return int(value)
