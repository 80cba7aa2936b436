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
  And a broadcast is compressed once, not once per phone: the server compresses each message
  on its own (server_no_context_takeover, which every client must accept), so the same
  message is the same bytes on every connection, and the last one compressed is reused. A
  burst's batches and a step's state go to 80 phones each: 80 compressions became one.

A websocket is logged as one line with status 101 when it closes (`WebSocketHandler`); malformed
Socket.IO and Engine.IO packets are one line each (plc/realtime/protocol.py).
"""
from __future__ import annotations

import socket
import zlib

import simple_websocket.ws
from gevent import pywsgi
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits

COMPRESS_FROM_BYTES = 1024


class LargeMessagesDeflate(PerMessageDeflate):
    """permessage-deflate that sends small whole messages uncompressed (RSV1 bit clear) and
    compresses each large one on its own, once for every connection it goes to."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("server_no_context_takeover", True)
        super().__init__(*args, **kwargs)

    def frame_outbound(self, proto, opcode, rsv, data, fin):
        whole = fin and opcode in (Opcode.TEXT, Opcode.BINARY)
        if whole and len(data) < COMPRESS_FROM_BYTES:
            return rsv, data
        if whole and not proto.client and self.server_no_context_takeover:
            return RsvBits(True, *rsv[1:]), _deflated(bytes(data), self.server_max_window_bits)
        return super().frame_outbound(proto, opcode, rsv, data, fin)


_last_deflated: tuple[bytes, int, bytes] | None = None  # (message, window bits, compressed)


def _deflated(message: bytes, window_bits: int) -> bytes:
    """A message compressed on its own (RFC 7692 7.2.1), reusing the last result: a broadcast
    hands the same message to every connection in turn."""
    global _last_deflated
    if _last_deflated is not None and _last_deflated[1] == window_bits and _last_deflated[0] == message:
        return _last_deflated[2]
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -window_bits)
    compressed = (compressor.compress(message) + compressor.flush(zlib.Z_SYNC_FLUSH))[:-4]
    _last_deflated = (message, window_bits, compressed)
    return compressed


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
