"""Messages written at once to a phone with nothing else on its way (plc/server.py), on a real
gevent server (tests/transport_server.py) and raw websocket clients: every message arrives whole
and in order, a phone that stops reading holds up no other, and pings keep a connection that only
gets messages written at once alive."""
from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import time

import pytest
import websocket

from tests.browser.conftest import PYTHON, ROOT, _free_port, _stop

FLOOD = {"n": 300, "size": 40_000}  # each of two greenlets; 150 messages of 40 kB each: over 8 MB
TINY_BUFFER = [(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)]


@pytest.fixture
def server(request, tmp_path):
    """The test server's port; the test's `pings` mark says (ping interval, ping timeout)."""
    port = _free_port()
    pings = request.node.get_closest_marker("pings").args
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(PYTHON), "-m", "tests.transport_server", str(port), *map(str, pings)], cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the test server did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.1)
    yield port
    _stop(process)
    assert "Traceback" not in log_path.read_text(errors="replace")


class Phone:
    """A Socket.IO client on a raw websocket, reading only when told to."""

    def __init__(self, port: int, sockopt=()):
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", timeout=20, sockopt=sockopt)
        assert self.ws.recv().startswith("0")  # Engine.IO open
        self.ws.send("40")
        assert self.ws.recv().startswith("40")  # Socket.IO connected
        self.events: list[tuple[str, dict]] = []
        self.acks: list = []

    def emit(self, event: str, data: dict | None = None, ack: bool = False) -> None:
        self.ws.send(("421" if ack else "42") + json.dumps([event] if data is None else [event, data]))

    def read_until(self, done, seconds: float) -> None:
        """Read, answering pings, until done(self) or the time is up (then the test fails)."""
        deadline = time.monotonic() + seconds
        while not done(self):
            assert time.monotonic() < deadline, f"{len(self.events)} events in {seconds} s"
            packet = self.ws.recv()
            if packet == "2":
                self.ws.send("3")
            elif packet.startswith("42"):
                self.events.append(tuple(json.loads(packet[2:])))
            elif packet.startswith("431"):
                self.acks.append(json.loads(packet[3:])[0])
            else:
                assert packet == "", f"unexpected packet {packet[:80]!r}"

    def numbers(self, event: str) -> dict[int, list[int]]:
        by_sender: dict[int, list[int]] = {}
        for name, data in self.events:
            if name == event:
                assert hashlib.sha256(data["pad"].encode()).hexdigest() == data["sum"]
                by_sender.setdefault(data.get("who", 0), []).append(data["i"])
        return by_sender

    def queued(self) -> int:
        self.emit("queued", ack=True)
        self.read_until(lambda phone: phone.acks, 20)
        return self.acks.pop()["n"]


def flooded(phone: Phone) -> bool:
    return len([1 for name, _ in phone.events if name == "seq"]) == 2 * FLOOD["n"]


@pytest.mark.pings(1, 30)  # a phone that reads nothing for seconds is not taken for gone
def test_a_phone_that_stops_reading_holds_up_no_one_and_gets_everything_in_order_later(server):
    slow = Phone(server, sockopt=TINY_BUFFER)
    reading = Phone(server)
    reading.emit("flood", FLOOD)
    reading.read_until(flooded, 30)  # while the slow phone reads nothing at all
    in_order = {0: list(range(FLOOD["n"])), 1: list(range(FLOOD["n"]))}
    assert reading.numbers("seq") == in_order
    # Both ways were taken: at once while nothing was on its way, through the queue behind the rest.
    assert 0 < reading.queued() < 2 * 2 * FLOOD["n"]
    slow.read_until(flooded, 60)
    assert slow.numbers("seq") == in_order


@pytest.mark.pings(1, 1)  # a writer that hears nothing for two seconds ends
def test_pings_keep_a_connection_alive_that_only_gets_messages_written_at_once(server):
    phone = Phone(server)
    before = phone.queued()
    phone.emit("ticks", {"n": 20, "every": 0.2})  # 4 s: twice the writer's two seconds of silence
    phone.read_until(lambda p: len(p.events) == 20, 20)
    assert [data["i"] for _, data in phone.events] == list(range(20))
    assert phone.queued() == before  # every tick was written at once
    phone.emit("ticks", {"n": 1, "every": 0})
    phone.read_until(lambda p: len(p.events) == 21, 5)  # and the connection still works
