"""A bare Flask-SocketIO server on the app's transport (plc.server.serve: gevent, simple-websocket,
messages written at once when nothing else is on its way), for tests/test_transport_writes.py.

    python -m tests.transport_server PORT PING_INTERVAL PING_TIMEOUT

Every connection joins one room. Events:
- `flood` {n, size}: two greenlets take turns emitting n numbered messages each to the room, every
  other one `size` characters of random text (compressed: over COMPRESS_FROM_BYTES), with its sha256;
- `ticks` {n, every}: n numbered messages to the sender, `every` seconds apart;
- `queued` (acknowledged): how many messages went through a writer's queue rather than at once.
A connection's writer ends when it has heard nothing for PING_INTERVAL + PING_TIMEOUT seconds.
"""
from gevent import monkey

monkey.patch_all()

import base64  # noqa: E402
import hashlib  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402

from engineio import packet as eio_packet  # noqa: E402
from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

import plc.server  # noqa: E402

ROOM = "everyone"

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", ping_interval=float(sys.argv[2]), ping_timeout=float(sys.argv[3]))
queued_messages = 0
_queue_send = plc.server._plain_send


def _counting_queue_send(self, pkt):
    global queued_messages
    if pkt.packet_type == eio_packet.MESSAGE:
        queued_messages += 1
    return _queue_send(self, pkt)


plc.server._plain_send = _counting_queue_send


def message(who: int, i: int, size: int) -> dict:
    pad = base64.b64encode(random.Random(f"{who}-{i}").randbytes(size * 3 // 4)).decode() if i % 2 else "x"
    return {"who": who, "i": i, "pad": pad, "sum": hashlib.sha256(pad.encode()).hexdigest()}


@socketio.on("connect")
def on_connect(auth=None):
    join_room(ROOM)


@socketio.on("flood")
def on_flood(data):
    def emit_all(who: int):
        for i in range(data["n"]):
            socketio.emit("seq", message(who, i, data["size"]), to=ROOM)
            socketio.sleep(0)  # the other greenlet's turn

    for who in (0, 1):
        socketio.start_background_task(emit_all, who)


@socketio.on("ticks")
def on_ticks(data):
    sid = request.sid

    def tick():
        for i in range(data["n"]):
            socketio.emit("tick", {"i": i}, to=sid)
            socketio.sleep(data["every"])

    socketio.start_background_task(tick)


@socketio.on("queued")
def on_queued():
    return {"n": queued_messages}


if __name__ == "__main__":
    plc.server.serve(app, "127.0.0.1", int(sys.argv[1]))
