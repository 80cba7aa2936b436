"""The server log is for people: the real server (`python wsgi.py`, gevent) logs a closed websocket
as what it was, not as a bad HTTP request, and a malformed Socket.IO or Engine.IO packet as one
line, never a traceback."""
from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request

import websocket

from tests.browser.conftest import PYTHON, ROOT, _free_port, _run, _server_env, _stop, _wait_until_up

MALFORMED_SOCKETIO = ["42[", "4", "42", "49", "40{not json", "42[1]", "4" + "[" * 5000]
MALFORMED_ENGINEIO = ["zzz", "b!!!"]


def _socket_url(port: int, sid: str = "") -> str:
    return f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket" + (f"&sid={sid}" if sid else "")


def test_closed_websockets_and_malformed_packets_are_one_line_each(tmp_path):
    env = _server_env(tmp_path)
    _run(["-m", "flask", "db", "upgrade"], env)
    port = _free_port()
    env.update(PLC_HOST="127.0.0.1", PLC_PORT=str(port), PLC_START_WORKER="0")
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(PYTHON), "wsgi.py"], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, log_path)
        # A phone that walks away: the connection drops without a close frame.
        ws = websocket.create_connection(_socket_url(port), timeout=5)
        ws.recv()
        ws.sock.shutdown(socket.SHUT_RDWR)
        ws.sock.close()
        # A client closing properly, after the server has closed its side (Engine.IO close packet).
        ws = websocket.create_connection(_socket_url(port), timeout=5)
        ws.recv()
        ws.send("1")
        time.sleep(0.2)
        ws.close()
        # Malformed packets, then a well-formed one: the connection still answers.
        ws = websocket.create_connection(_socket_url(port), timeout=5)
        ws.recv()
        for packet in MALFORMED_SOCKETIO + MALFORMED_ENGINEIO:
            ws.send(packet)
        ws.send("40")
        assert ws.recv().startswith("44")  # connecting without saying which meeting is refused, politely
        ws.close()
        # The same over long-polling.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling") as opened:
            sid = json.loads(opened.read().decode()[1:])["sid"]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling&sid={sid}",
                                         data=b"42[oops", method="POST")
        with urllib.request.urlopen(request) as posted:
            assert posted.status == 200
        time.sleep(0.5)
    finally:
        _stop(process)
    log = log_path.read_text(errors="replace")
    for sign in ("Traceback", "Error", "error", " 000 ", "Invalid HTTP", " 500 "):
        assert sign not in log, log
    assert log.count(" 101 ") == 3, log  # each websocket: one line, "101 Switching Protocols"
    assert log.count("Ignored a Socket.IO packet") == len(MALFORMED_SOCKETIO) + 1, log
    assert log.count("Ignored an Engine.IO packet") == len(MALFORMED_ENGINEIO), log
