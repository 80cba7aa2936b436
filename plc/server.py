"""Serving for real: gevent's WSGI server with websockets from simple-websocket, tuned for
one process talking to rooms full of phones. `python wsgi.py` serves through `serve`.

Three transport settings, all measured by the benchmarks under bench/:
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
- A message is written at once to a phone with nothing else on its way (`write_directly_when_idle`),
  not handed to the connection's writer greenlet: with 600 phones answering 20 times a second per
  room, the app's CPU went from 0.82-0.88 to 0.61-0.65 of a core and the bare server's from
  0.54-0.65 to 0.37-0.47 (`python -m bench --scenarios d`), and one process behind HAProxy holds
  160 answers a second instead of 40 (`python -m bench.district`). Every write is also whole:
  simple-websocket wrote a frame with one `send`, and a full socket lost the rest.

A websocket is logged as one line with status 101 when it closes (`WebSocketHandler`); malformed
Socket.IO and Engine.IO packets are one line each (plc/realtime/protocol.py).
"""
from __future__ import annotations

import socket
import zlib

import engineio.socket
import simple_websocket.ws
from engineio import packet as eio_packet
from gevent import pywsgi
from gevent.lock import Semaphore
from wsproto.events import Message, TextMessage
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits
from wsproto.utilities import LocalProtocolError

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


# --- writing a message at once ----------------------------------------------------
# Engine.IO gives every websocket a writer greenlet fed by a queue: each message to each phone is
# a queue put, a wake-up of that greenlet with a timer, and two switches; a broadcast to a room of
# 60 is 60 of them. A message to a phone whose writer is waiting with nothing queued is written
# from the emitting greenlet instead, without ever waiting for the phone: what its connection
# cannot take at once is finished by a greenlet of its own. Order is kept: while anything is
# queued or being written, a message goes through the queue, behind it. Pings still go through
# the queue: the writer ends when it hears nothing for a ping interval and timeout.

_plain_websocket_handler = engineio.socket.Socket._websocket_handler
_plain_poll = engineio.socket.Socket.poll
_plain_send = engineio.socket.Socket.send


def _websocket_handler(self, ws):
    """Engine.IO's websocket loop, with the connection kept where `send` can write to it, and
    every write to it whole and one at a time."""
    lock = Semaphore()

    def send_whole(message):
        """What the writer sends with. simple-websocket writes a frame with one `send`, which a
        full socket may take only part of (the rest was lost, and the phone read garbage)."""
        with lock:
            if not ws.ws.connected:
                raise OSError("the websocket is closed")
            ws.ws.sock.sendall(_frame(ws.ws, message))

    ws.send = send_whole
    self.websocket, self.websocket_lock = ws, lock
    try:
        return _plain_websocket_handler(self, ws)
    finally:
        self.websocket = None


def _poll(self):
    """The writer's wait for packets: while it waits, it holds none."""
    self.writer_waiting = True
    try:
        return _plain_poll(self)
    finally:
        self.writer_waiting = False


def _send(self, pkt):
    """A message to a websocket whose writer is waiting with nothing queued goes out at once;
    anything else goes through the writer's queue, in order."""
    ws = self.websocket
    if (pkt.packet_type != eio_packet.MESSAGE or ws is None or not self.writer_waiting or not self.upgraded
            or self.websocket_lock.locked() or not self.queue.empty()):
        return _plain_send(self, pkt)
    if self.check_ping_timeout():
        _write_now(self, ws.ws, pkt.encode())


def _write_now(self, connection: simple_websocket.ws.Base, message: str | bytes) -> None:
    """Write one message on the connection without waiting for the phone. The rest of a frame
    its socket does not take at once is sent by a greenlet that holds the connection's writes."""
    if not connection.connected:
        return  # closed: its reader ends the Engine.IO socket
    try:
        frame = _frame(connection, message)
        sent = connection.sock.send(frame, 0, 0.0)  # gevent's timeout 0: never wait
    except BlockingIOError:
        sent = 0
    except (OSError, LocalProtocolError):  # the phone is gone or going: its reader ends the socket
        return  # (and the broadcast goes on to the other phones)
    if sent < len(frame):
        self.websocket_lock.acquire()  # free: `_send` checked, and nothing ran since
        self.server.start_background_task(_finish_write, self.websocket_lock, connection.sock, frame[sent:])


def _frame(connection: simple_websocket.ws.Base, message: str | bytes) -> bytes:
    """The websocket frame of a message (binary for bytes, as simple-websocket sends it)."""
    return connection.ws.send(Message(data=message) if isinstance(message, bytes) else TextMessage(data=message))


def _finish_write(lock: Semaphore, sock: socket.socket, rest: bytes) -> None:
    try:
        sock.sendall(rest)
    except OSError:
        pass  # the phone is gone: its reader ends the socket
    finally:
        lock.release()


def write_directly_when_idle() -> None:
    """Engine.IO offers no setting for its writer: wrap the methods around it (once or again)."""
    engineio.socket.Socket.websocket = None
    engineio.socket.Socket.writer_waiting = False
    engineio.socket.Socket._websocket_handler = _websocket_handler
    engineio.socket.Socket.poll = _poll
    engineio.socket.Socket.send = _send


def use_tuned_transport() -> None:
    """Every setting of this module that lives inside the libraries (wsgi.py and `serve` both)."""
    use_large_messages_deflate()
    write_directly_when_idle()


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
    use_tuned_transport()
    pywsgi.WSGIServer(listener(host, port), app, log="default", handler_class=WebSocketHandler).serve_forever()
