# The MQTT client link (interfaces.md 2.1, 2.2): adafruit_minimqtt under our own
# non-blocking state machine. minimqtt's connect() waits inside and loop(t) needs
# t >= socket_timeout, so sockets get 1 ms timeouts (an idle poll costs ~2 ms, CONNACK
# and SUBACK must come within 10 ms: a LAN broker's do), back-off lives here (1, 2, 4 ...
# 30 s), and a DNS lookup or a TLS handshake (unbounded on CircuitPython) starts only
# while the contactors are open (issue 11 item 10). Received /Set/ commands are queued
# by the client's callback and carried out by `run_command`, a service of its own, so
# the chain stays flat (docs/architecture.md "Device budget").
"""MQTT link: connection state machine, publish cycles, discovery, command queue."""

from micropython import const

from adafruit_ticks import ticks_add, ticks_diff, ticks_ms

from smartevse.net.peek_socket import PeekSocket
from smartevse.settings.table import MQTT_CA_CERT_PATH

_IDLE = const(0)               # no broker configured (or no network)
_WAIT = const(1)               # not connected: next attempt at _retry_ms
_ONLINE = const(2)
_SUBSCRIBE = const(3)          # CONNACK came: subscribe and say online on the next pass
_KEEP_ALIVE_S = const(15)      # 2.1
_BACKOFF_MAX_MS = const(30000)
_POLL_MS = const(100)          # incoming commands read every 100 ms
_CYCLE_S = const(10)           # a cycle when the 1 s counter passes 10: ~11 s (2.2)
_QUEUE_MAX = const(16)         # commands waiting; beyond, the oldest is dropped (a flood)
_PER_PASS = const(2)           # publishes per loop pass
CONNECT_TIMEOUT_S = 0.005      # TCP connect (a LAN's round trip), then ...
SOCKET_TIMEOUT_S = 0.001       # ... each read: an idle loop() costs ~2 ms
RECV_TIMEOUT_S = 0.01          # CONNACK, SUBACK, the rest of a started packet
TLS_TIMEOUT_S = 4.0            # a TLS handshake (seconds on the device): contactors open


def is_ipv4(host):
    """True for a dotted IPv4 literal: connecting needs no DNS lookup."""
    parts = host.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part or len(part) > 3 or not all("0" <= c <= "9" for c in part):
            return False
    return True


class _NoDelayPool:
    """The board's socket pool, its TCP sockets without Nagle's delay."""

    # minimqtt writes one packet in several send() calls; with Nagle's algorithm the rest
    # waits for the broker's delayed ACK (~40 ms, measured on loopback): CONNACK and SUBACK
    # would miss their 10 ms.
    def __init__(self, pool, peek=False):
        self._pool = pool
        self._peek = peek              # plain TCP: sockets with a look-ahead (peek_socket)

    def __getattr__(self, name):
        return getattr(self._pool, name)

    def socket(self, *args):
        pool = self._pool
        sock = pool.socket(*args)
        try:
            sock.setsockopt(pool.IPPROTO_TCP, pool.TCP_NODELAY, 1)
        except (AttributeError, OSError):
            pass                       # a pool without the option keeps the default
        return PeekSocket(sock) if self._peek else sock


class MqttLink:
    """One controller's MQTT link; `step` and `run_command` run on every pass, `tick_1s`
    once a second."""

    def __init__(self, app, net):
        self._app = app
        self._net = net
        self.sink = None           # host: callable(topic, payload, retain) sees every publish
        self._client = None
        self._state = _IDLE
        self._retry_ms = 0
        self._backoff_ms = 1000
        self._poll_ms = 0
        self._seconds = 0
        self._forced = True
        self._override_da = 0
        self._started = False      # sink-only mode: discovery sent once
        self._snap = {}
        self._last_payload = {}
        self._last_s = {}
        self._pending = []         # suffixes of the current cycle still to publish
        self._discovery = -1       # next discovery entity, -1 = none pending
        self.commands = []         # (suffix, payload) queued by the client's callback
        self.received = 0
        self.dropped = 0
        self.published = 0
        self.failures = 0
        self.last_error = None
        self.worst_step_ms = 0     # longest blocking of one step with a contactor closed
        self._mqtt_class = None    # minimqtt's MQTT, imported by a pass of its own
        self._set_prefix = ""      # "<prefix>/Set/" of the connection
        self._discovery_module = None       # loaded with the first use (_load)
        self._state_module = None

    @property
    def connected(self):
        return self._state == _ONLINE

    @property
    def cache(self):
        """GET /mqtt.json's view (interfaces.md 1.16): topic -> value, last publish (s);
        stale: the last cycle no longer had the topic (its source went away)."""
        last_s = self._last_s
        snap = self._snap
        return {suffix: {"value": payload, "last_pub_s": last_s.get(suffix, 0),
                         "stale": suffix not in snap}
                for suffix, payload in self._last_payload.items()}

    def prefix(self):
        """`mqtt_topic_prefix`, default `SmartEVSE/<serial>` (2.1)."""
        return self._app.settings.values["mqtt_topic_prefix"] or \
            "SmartEVSE/" + str(self._app.serial_nr)

    def reconfigure(self):
        """The broker settings changed: disconnect and connect again with the new ones."""
        self._close(True)
        self._client = None
        self._backoff_ms = 1000
        self._retry_ms = self._app.board.ticks_ms()

    def _load(self):
        # The topic and discovery modules and minimqtt, in a pass of their own (boot, or the
        # contactors open): importing runs module code, so not deep inside another chain.
        from smartevse.api import mqtt_discovery, mqtt_state
        self._discovery_module = mqtt_discovery
        self._state_module = mqtt_state
        if self._app.settings.values["mqtt_host"]:
            from adafruit_minimqtt.adafruit_minimqtt import MQTT
            self._mqtt_class = MQTT

    # --- every pass -----------------------------------------------------------------
    def step(self, now_ms):
        state = self._state
        if state == _IDLE:
            if self._app.settings.values["mqtt_host"] and self._net.connected:
                self._state = _WAIT
                self._retry_ms = now_ms
            elif self.sink is not None:
                if self._state_module is None:
                    self._load()
                else:
                    self._publish_some()
            return
        board = self._app.board
        closed = board.contactor1.value or board.contactor2.value
        start_ms = ticks_ms()               # wall time: how long this step blocks (bench)
        if state == _WAIT:
            if ticks_diff(now_ms, self._retry_ms) >= 0 and self._may_connect():
                if self._mqtt_class is None:     # a pass of its own, contactors open
                    self._load()
                else:
                    self._connect(now_ms)
            elif self.sink is not None and self._state_module is not None:
                self._publish_some()
        elif state == _SUBSCRIBE:
            self._subscribe(now_ms)
        else:
            try:
                if ticks_diff(now_ms, self._poll_ms) >= 0:
                    self._poll_ms = ticks_add(now_ms, _POLL_MS)
                    if self._incoming():
                        self._client.loop(SOCKET_TIMEOUT_S)
                self._publish_some()
            except Exception as exc:       # OSError, MMQTTException, RuntimeError: link lost
                self._lost(exc, now_ms)     # (a pystack exhaustion is raised on: a bug)
        took_ms = ticks_diff(ticks_ms(), start_ms)
        if closed and took_ms > self.worst_step_ms:
            self.worst_step_ms = took_ms

    def _incoming(self):
        # minimqtt's loop() only when a packet has started or its keep-alive ping is due
        # (it sends PINGREQ itself): an idle poll allocates almost nothing (peek_socket)
        client = self._client
        sock = client._sock
        if not isinstance(sock, PeekSocket) or sock.ready():
            return True
        return ticks_diff(ticks_ms(), client._last_msg_sent_timestamp) >= _KEEP_ALIVE_S * 1000

    def run_command(self, now_ms):
        """Carry out one queued /Set/ command (2.4), outside the client's call chain."""
        if not self.commands:
            return
        suffix, payload = self.commands.pop(0)
        from smartevse.api.mqtt_set import command
        if command(self._app, suffix, payload):
            self._forced = True           # 2.4: a cycle on the next tick
            self._app.apply_outputs()

    def tick_1s(self, now_ms):
        """The publish cycle (2.2): every ~11 s, or at once when forced."""
        mqtt_state = self._state_module
        if mqtt_state is None or (self._state != _ONLINE and self.sink is None):
            return
        self._seconds += 1
        override_da = self._app.evse.override_current_da
        if override_da != self._override_da:      # an override change forces a cycle (2.2)
            self._override_da = override_da
            self._forced = True
        if not self._forced and self._seconds <= _CYCLE_S:
            return
        v = self._app.settings.values
        snap = self._snap
        snap.clear()
        mqtt_state.snapshot(self._app, snap)
        del self._pending[:]
        mqtt_state.plan(snap, self._last_payload, self._last_s, self._app.uptime_s(),
                        self._forced, v["mqtt_change_only"], v["mqtt_heartbeat"], _CYCLE_S + 1,
                        self._pending)
        self._forced = False
        self._seconds = 0

    def force(self):
        """A state, access, mode or override change: publish on the next tick (2.2)."""
        self._forced = True

    def drop(self):
        """The supply is cut: the socket closes without DISCONNECT (the broker then
        publishes the last will, 2.1)."""
        client = self._client
        if client is not None and client._sock is not None:
            client._sock.close()
        self._client = None
        self._state = _IDLE

    # --- connection -----------------------------------------------------------------
    def _may_connect(self):
        # DNS, TLS and loading minimqtt (the first client) block for longer than a 10 ms
        # pass: only while the contactors are open (item 10)
        v = self._app.settings.values
        if not self._net.connected:
            return False
        if self._client is None or v["mqtt_tls"] or not is_ipv4(v["mqtt_host"]):
            board = self._app.board
            return not (board.contactor1.value or board.contactor2.value)
        return True

    def _connect(self, now_ms):
        v = self._app.settings.values
        prefix = self.prefix()
        try:
            client = self._client
            if client is None:
                client = self._client = self._make_client(v, prefix)
            # minimqtt 8.1.0's own fields; a TLS handshake gets its seconds (contactors open)
            client._socket_timeout = TLS_TIMEOUT_S if v["mqtt_tls"] else CONNECT_TIMEOUT_S
            client._connect()                # connect() only retries it: one frame less
            client._sock.settimeout(SOCKET_TIMEOUT_S)
            client._socket_timeout = SOCKET_TIMEOUT_S      # so loop(1 ms) is allowed
        except Exception as exc:           # refused, unreachable, timed out, bad CONNACK
            self._lost(exc, now_ms)
            return
        self._state = _SUBSCRIBE

    def _subscribe(self, now_ms):
        # 2.1 on connect: subscribe Set/# QoS 1, say online (retained), discovery, cycle
        prefix = self.prefix()
        try:
            self._client.subscribe(prefix + "/Set/#", 1)
            self._client.publish(prefix + "/connected", "online", True, 0)
        except Exception as exc:
            self._lost(exc, now_ms)
            return
        self._state = _ONLINE
        self._backoff_ms = 1000
        self._poll_ms = now_ms
        self._last_payload.clear()         # 2.1: reset the change-only cache
        self._last_s.clear()
        self._discovery = 0
        self._forced = True

    def _make_client(self, v, prefix):
        MQTT = self._mqtt_class
        ssl_context = None
        if v["mqtt_tls"]:
            import ssl
            ssl_context = ssl.create_default_context()
            try:                         # the user's CA on the drive (README, 2.1)
                with open(MQTT_CA_CERT_PATH) as f:
                    ssl_context.load_verify_locations(cadata=f.read())
            except OSError:
                pass                     # none: the built-in roots (Let's Encrypt's among them)
        client = MQTT(broker=v["mqtt_host"], port=v["mqtt_port"],
                      username=v["mqtt_username"] or None,
                      password=v["mqtt_password"] or None, client_id=prefix,
                      is_ssl=bool(v["mqtt_tls"]), keep_alive=_KEEP_ALIVE_S,
                      recv_timeout=RECV_TIMEOUT_S,
                      socket_pool=_NoDelayPool(self._net.socket_pool(), not v["mqtt_tls"]),
                      ssl_context=ssl_context, socket_timeout=CONNECT_TIMEOUT_S,
                      connect_retries=1)
        client.will_set(prefix + "/connected", "offline", True, 0)
        client.on_message = self._on_message
        self._set_prefix = prefix + "/Set/"
        return client

    def _on_message(self, client, topic, message):
        # minimqtt's callback: queue only (the command runs in its own service)
        set_prefix = self._set_prefix
        if not topic.startswith(set_prefix):
            return
        self.received += 1
        commands = self.commands
        if len(commands) >= _QUEUE_MAX:   # a flood: the oldest goes, the latest wins
            commands.pop(0)
            self.dropped += 1
        commands.append((topic[len(set_prefix):], message))

    def _lost(self, exc, now_ms):
        if exc.args == ("pystack exhausted",):
            raise exc                    # a bug, not the network: the loop's fail-safe
        self.failures += 1
        self.last_error = "%s: %s" % (type(exc).__name__, exc)
        self._close(False)
        self._state = _WAIT
        self._retry_ms = ticks_add(now_ms, self._backoff_ms)
        self._backoff_ms = min(self._backoff_ms * 2, _BACKOFF_MAX_MS)

    def _close(self, say_offline):
        client = self._client
        if client is not None and self._state >= _ONLINE:
            try:
                if say_offline:          # 2.1: an intentional disconnect says offline first,
                    # under the prefix it connected with (a new one may be set already)
                    client.publish(self._set_prefix[:-5] + "/connected", "offline", True, 0)
                client.disconnect()
            except Exception:
                pass
        if client is not None:
            try:
                client._close_socket()   # a failed connect leaves its socket registered
            except Exception:
                pass
        self._state = _IDLE if say_offline else _WAIT

    # --- publishing -----------------------------------------------------------------
    def _publish_some(self):
        # One discovery config or state topic per round, sent from here: a flat chain.
        if self._discovery < 0 and not self._started and self.sink is not None:
            self._started = True
            self._discovery = 0
        if self._discovery < 0 and not self._pending:
            return                     # nothing to send (no prefix string built per pass)
        prefix = self.prefix()
        discovery = self._discovery_module
        for _ in range(_PER_PASS):
            i = self._discovery
            if i >= 0:
                found = discovery.config(self._app, prefix, self._net.ipv4_address, i)
                self._discovery = i + 1 if i + 1 < discovery.COUNT else -1
                if found is None:
                    continue
                topic, payload = found
                retain = True
            elif self._pending:
                suffix = self._pending.pop(0)
                payload = self._snap.get(suffix)
                if payload is None:
                    continue
                topic = prefix + "/" + suffix
                retain = self._state_module.retained(suffix)
                self._last_payload[suffix] = payload
                self._last_s[suffix] = self._app.uptime_s()
            else:
                return
            if self.sink is not None:
                self.sink(topic, payload, retain)
            if self._state == _ONLINE:
                self._client.publish(topic, payload, retain, 0)
                self.published += 1
