"""OCPP over TLS (wss://) against the loopback central system with a certificate made by
the test; the TLS handshake starts only while the contactors are open (interfaces.md 3.1;
issue 11 item 10, issue 13)."""

import os
import shutil
import ssl
import sys

import pytest

from sim.csms import CentralSystem
from tests.ocpp.ocpp_helpers import advance_until, booted

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "mqtt"))
from mqtt_broker import self_signed  # noqa: E402  (the certificate helper of the TLS tests)


@pytest.fixture
def tls_csms(monkeypatch):
    cert, key = self_signed()
    monkeypatch.setenv("SSL_CERT_FILE", cert)       # the controller trusts it as a root
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with CentralSystem(ssl_context=context) as central:
        yield central
    shutil.rmtree(os.path.dirname(cert), ignore_errors=True)


def test_wss_boots_and_reports_over_tls(tls_csms):
    """Given a central system on wss://, when the controller starts with its contactors
    open, then the TLS link opens and the BootNotification is accepted (3.1, 3.3)."""
    assert tls_csms.url("CP1").startswith("wss://")
    s = booted(tls_csms)
    try:
        assert tls_csms.messages("BootNotification")
        assert s.app.ocpp.ws.sock.version() is not None          # a TLS socket
    finally:
        s.close()


def test_a_lost_wss_link_is_opened_again_only_once_the_contactors_open(tls_csms):
    """Given FreeVend charging over wss://, when the central system goes away and comes
    back while the EV still charges, then no TLS connection is tried while the contactors
    are closed (the handshake blocks for seconds on the device); once the EV stops asking
    and they open, the link opens again (issue 11 item 10)."""
    s = booted(tls_csms, settings={"ocpp_auto_auth": 1})
    try:
        s.plant.cable(rating_a=32)
        s.plant.ev.pilot("C")
        advance_until(s, lambda: tls_csms.messages("StartTransaction"), 15)
        tls_csms.stop()
        link = s.app.ocpp
        advance_until(s, lambda: not link.connected, 10)
        tls_csms.start()
        connects = link.connects
        s.advance(60)
        assert s.observe()["state"] == "Charging" and s.observe()["contactor1"]
        assert link.connects == connects and link.ws.error == "waiting for open contactors"
        s.plant.ev.pilot("B")
        advance_until(s, lambda: link.connected, 60)
        assert not s.observe()["contactor1"]
    finally:
        s.close()
