"""A TCP gate in front of the live server, to take the network away from a page
AND its service worker.

Chromium's offline emulation (``context.set_offline``) does not reach fetches
made by a service worker (Playwright issue #2311), so an "offline" test that
only emulates would still have a working network behind the worker. The
browser talks to this gate instead of the live server; ``block()`` resets every
open connection and every new one until ``open()``.

Loopback only, a bounded number of connections, stopped at fixture teardown.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import threading

BUFFER = 64 * 1024


def _loopback_address(host: str) -> str:
    address = socket.gethostbyname(host)
    if not ipaddress.ip_address(address).is_loopback:
        raise ValueError(f"NetGate only forwards to loopback addresses, not {host} ({address})")
    return address


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the browser sees a reset at once, not a slow FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv()
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class NetGate:
    def __init__(self, upstream_host: str, upstream_port: int, *, max_connections: int = 128, idle_timeout: float = 60.0):
        self.upstream = (_loopback_address(upstream_host), upstream_port)
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self._lock = threading.Lock()
        self._pairs: set[_Pair] = set()
        self._blocked = False
        self._stopping = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="netgate-accept", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def blocked(self) -> bool:
        return self._blocked

    def start(self) -> NetGate:
        self._thread.start()
        return self

    def block(self) -> None:
        """From now on: reset every open connection and refuse every new one."""
        with self._lock:
            self._blocked = True
            pairs = list(self._pairs)
            self._pairs.clear()
        for pair in pairs:
            pair.reset()

    def open(self) -> None:
        with self._lock:
            self._blocked = False

    def stop(self) -> None:
        self._stopping.set()
        self.block()
        self._thread.join(timeout=5)
        self._listener.close()

    # --- internals ---------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stopping.is_set():
                    return
                continue
            with self._lock:
                refuse = self._blocked or len(self._pairs) >= self.max_connections
            if refuse:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _reset(client)
                continue
            for sock in (client, upstream):
                sock.settimeout(self.idle_timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pair = _Pair(client, upstream)
            with self._lock:
                if self._blocked:  # block() ran while we were connecting
                    refuse = True
                else:
                    self._pairs.add(pair)
            if refuse:
                pair.reset()
                continue
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(pair, source, target), name="netgate-pump", daemon=True).start()

    def _pump(self, pair: _Pair, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(BUFFER)
                if not data:
                    # Half-close: pass the EOF on; the pair closes when both directions are done.
                    try:
                        target.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    if pair.direction_done():
                        self._drop(pair, reset=False)
                    return
                target.sendall(data)
        except OSError:
            self._drop(pair, reset=True)

    def _drop(self, pair: _Pair, *, reset: bool) -> None:
        with self._lock:
            self._pairs.discard(pair)
        if reset:
            pair.reset()
        else:
            pair.close()


class _Pair:
    """A browser-side socket and its live-server-side twin."""

    def __init__(self, client: socket.socket, upstream: socket.socket):
        self.client = client
        self.upstream = upstream
        self._lock = threading.Lock()
        self._open_directions = 2

    def direction_done(self) -> bool:
        """One direction reached EOF; True when that was the last one."""
        with self._lock:
            self._open_directions -= 1
            return self._open_directions == 0

    def reset(self) -> None:
        _reset(self.client)
        _reset(self.upstream)

    def close(self) -> None:
        for sock in (self.client, self.upstream):
            try:
                sock.close()
            except OSError:
                pass
