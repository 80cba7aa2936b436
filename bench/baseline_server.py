"""The baseline: a bare Flask-SocketIO broadcast server under gevent, served the way
wsgi.py serves the app (plc.server.serve: gevent's WSGI server, simple-websocket, the
same TCP and compression settings), so that the two differ only in what the app does.

A client connects with auth {room}; every `bcast` event it emits is re-broadcast
as is to everyone in that room (the sender included) and acknowledged {ok: true}.

    python -m bench.baseline_server PORT
"""
from gevent import monkey

monkey.patch_all()

import sys

from flask import Flask, request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
rooms: dict[str, str] = {}


@socketio.on("connect")
def on_connect(auth=None):
    room = (auth or {}).get("room")
    if not isinstance(room, str) or not room:
        raise ConnectionRefusedError("Say which room to join.")
    rooms[request.sid] = room
    join_room(room)


@socketio.on("disconnect")
def on_disconnect(*args):
    rooms.pop(request.sid, None)


@socketio.on("bcast")
def on_bcast(data):
    socketio.emit("bcast", data, to=rooms[request.sid])
    return {"ok": True}


if __name__ == "__main__":
    from plc.server import serve

    serve(app, "127.0.0.1", int(sys.argv[1]))
