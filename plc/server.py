"""Serving for real: gevent's WSGI server with websockets from simple-websocket, tuned for
one process talking to rooms full of phones. `python wsgi.py` serves through `serve`.

Two transport settings, both measured by the benchmarks under bench/:
- TCP_NODELAY on every connection (set on the listening socket; accepted sockets inherit
  it): a small Socket.IO message leaves at once instead of waiting, by Nagle's algorithm,
  for the acknowledgement of the one before.
- permessage-deflate only for messages of COMPRESS_FROM_BYTES or more. simple-websocket
  compresses every message when the browser offers it; below about a kilobyte that costs
  the server more time per phone than the bytes it saves (a message under a packet's size
  takes one packet either way). RFC 7692 lets a sender leave any message uncompressed.

A websocket is logged as one line with status 101 when it closes (`WebSocketHandler`); malformed
Socket.IO and Engine.IO packets are one line each (plc/realtime/protocol.py).
"""
from __future__ import annotations

import socket

import simple_websocket.ws
from gevent import pywsgi
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode

COMPRESS_FROM_BYTES = 1024


class LargeMessagesDeflate(PerMessageDeflate):
    """permessage-deflate that sends small whole messages uncompressed (RSV1 bit clear)."""

    def frame_outbound(self, proto, opcode, rsv, data, fin):
        if fin and opcode in (Opcode.TEXT, Opcode.BINARY) and len(data) < COMPRESS_FROM_BYTES:
            return rsv, data
        return super().frame_outbound(proto, opcode, rsv, data, fin)


def use_large_messages_deflate() -> None:
    """simple-websocket offers no setting for its extension: replace the class it accepts with."""
    simple_websocket.ws.PerMessageDeflate = LargeMessagesDeflate


class WebSocketHandler(pywsgi.WSGIHandler):
    """gevent's handler, told that a websocket owns its connection once the handshake is done.

    simple-websocket answers the handshake itself, on the socket, without start_response: gevent
    would log the request with status "000", as if it had been a broken request, and then treat
    the rest of the connection as HTTP. (After an upgrade from polling, Engine.IO returns an
    empty 200 response that would even be written onto the finished websocket.)
    """

    def process_result(self):
        if self._websocket_done():
            self.close_connection = True  # what follows on this connection is no HTTP request
            self._orig_status = "101 Switching Protocols"  # what the client was answered, for the log
            return
        super().process_result()

    def _websocket_done(self) -> bool:
        upgrade = self.environ.get("HTTP_UPGRADE", "").lower() == "websocket"
        return upgrade and (self.status is None or self.status.startswith(b"200"))


def listener(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def serve(app, host: str, port: int) -> None:
    """Serve a WSGI app (with Flask-SocketIO in gevent mode) until the process is stopped."""
    use_large_messages_deflate()
    pywsgi.WSGIServer(listener(host, port), app, log="default", handler_class=WebSocketHandler).serve_forever()
