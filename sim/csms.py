"""A loopback OCPP 1.6J central system for the simulator, the tests and the bench.

Built on the `ocpp` package over `websockets`, in a background thread with its own
asyncio loop, so a test thread can advance simulated time while real frames flow. It
accepts every boot, authorises the idTags in `valid_tags`, numbers transactions from 1
and records every message it receives as `(charge point id, action, payload)`. The
payload schemas of the `ocpp` package check each message the firmware sends.
"""

import asyncio
import datetime
import threading

import websockets
from websockets.asyncio.server import serve
from ocpp.routing import on
from ocpp.v16 import ChargePoint, call_result
from ocpp.v16.enums import Action, AuthorizationStatus, RegistrationStatus


def _now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Station(ChargePoint):
    """The central system's side of one charge point."""

    def __init__(self, cp_id, ws, csms):
        super().__init__(cp_id, ws)
        self._csms = csms

    def _note(self, action, payload):
        with self._csms.lock:
            self._csms.received.append((self.id, action, payload))

    @on(Action.boot_notification)
    def on_boot(self, **payload):
        self._note("BootNotification", payload)
        return call_result.BootNotification(current_time=_now_iso(),
                                            interval=self._csms.heartbeat_s,
                                            status=RegistrationStatus.accepted)

    @on(Action.heartbeat)
    def on_heartbeat(self, **payload):
        self._note("Heartbeat", payload)
        return call_result.Heartbeat(current_time=_now_iso())

    @on(Action.status_notification)
    def on_status(self, **payload):
        self._note("StatusNotification", payload)
        return call_result.StatusNotification()

    def _id_tag_info(self, id_tag):
        ok = id_tag in self._csms.valid_tags
        return {"status": AuthorizationStatus.accepted if ok else AuthorizationStatus.invalid}

    @on(Action.authorize)
    def on_authorize(self, id_tag, **payload):
        self._note("Authorize", dict(payload, id_tag=id_tag))
        return call_result.Authorize(id_tag_info=self._id_tag_info(id_tag))

    @on(Action.start_transaction)
    def on_start(self, id_tag, **payload):
        with self._csms.lock:
            self._csms.next_tx_id += 1
            tx_id = self._csms.next_tx_id
        self._note("StartTransaction", dict(payload, id_tag=id_tag, transaction_id=tx_id))
        return call_result.StartTransaction(transaction_id=tx_id,
                                            id_tag_info={"status": AuthorizationStatus.accepted})

    @on(Action.stop_transaction)
    def on_stop(self, **payload):
        self._note("StopTransaction", payload)
        return call_result.StopTransaction()

    @on(Action.meter_values)
    def on_meter_values(self, **payload):
        self._note("MeterValues", payload)
        return call_result.MeterValues()


class CentralSystem:
    """`with CentralSystem() as csms:` serves ws://127.0.0.1:<csms.port>/<id> (wss:// with
    `ssl_context`)."""

    def __init__(self, port=0, heartbeat_s=300, ssl_context=None):
        self.port = port
        self.ssl_context = ssl_context    # set: wss:// (a server-side ssl.SSLContext)
        self.heartbeat_s = heartbeat_s
        self.valid_tags = set()
        self.received = []
        self.stations = {}
        self.next_tx_id = 0
        self.lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.start()

    def url(self, cp_id=""):
        scheme = "ws" if self.ssl_context is None else "wss"
        return "%s://127.0.0.1:%d/%s" % (scheme, self.port, cp_id)

    async def _handler(self, ws):
        station = _Station(ws.request.path.strip("/"), ws, self)
        self.stations[station.id] = station
        try:
            await station.start()
        except websockets.ConnectionClosed:
            pass

    async def _serve(self):
        self._server = await serve(self._handler, "127.0.0.1", self.port,
                                   subprotocols=["ocpp1.6"], close_timeout=0.1,
                                   ssl=self.ssl_context)
        self.port = self._server.sockets[0].getsockname()[1]

    def start(self):
        """Serve (again, on the same port after `stop()`)."""
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(5)

    def stop(self):
        """Go away: close the listening socket and every connection."""
        async def close():
            self._server.close()
            await self._server.wait_closed()
        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self.stations = {}

    def call(self, cp_id, request):
        """Send a CALL to a charge point; a concurrent future of its CALLRESULT."""
        station = self.stations[cp_id]
        return asyncio.run_coroutine_threadsafe(station.call(request), self._loop)

    def messages(self, action=None, cp_id=None):
        with self.lock:
            return [m[2] for m in self.received
                    if (action is None or m[1] == action) and (cp_id is None or m[0] == cp_id)]

    def close(self):
        if self._server is not None:
            self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
