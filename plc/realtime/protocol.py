"""Malformed packets from a client are one line in the log, never a traceback.

A Socket.IO packet that does not parse, or an event with no name, makes python-socketio raise
inside Engine.IO's message handler, which logs the whole traceback; an Engine.IO packet that does
not parse breaks out of the websocket loop and the WSGI server logs a traceback and a 500. Both
are the client's mistake, not the server's: they are dropped with one warning.
"""
from __future__ import annotations

import logging

import engineio.packet
import socketio.packet

log = logging.getLogger(__name__)


class MalformedPacket(ValueError):
    pass


class CheckedPacket(socketio.packet.Packet):
    """Socket.IO's packet (the server's `serializer`) that refuses what a client may not send."""

    def decode(self, encoded_packet):
        try:
            attachments = super().decode(encoded_packet)
        except (ValueError, TypeError, RecursionError) as exc:  # bad JSON or packet type, JSON nested too deep
            raise MalformedPacket(f"does not parse ({exc})") from None
        if self.packet_type not in _FROM_CLIENTS:
            raise MalformedPacket(f"a client may not send packets of type {self.packet_type}")
        if self.packet_type in _EVENTS and not (
                isinstance(self.data, list) and self.data and isinstance(self.data[0], str)):
            raise MalformedPacket("an event without a name")
        return attachments


_EVENTS = (socketio.packet.EVENT, socketio.packet.BINARY_EVENT)
_FROM_CLIENTS = (socketio.packet.CONNECT, socketio.packet.DISCONNECT, socketio.packet.EVENT,
                 socketio.packet.ACK, socketio.packet.BINARY_EVENT, socketio.packet.BINARY_ACK)


class _LenientEnginePacket(engineio.packet.Packet):
    """Engine.IO's packet: one that does not parse becomes a NOOP, which Engine.IO ignores."""

    def decode(self, encoded_packet):
        try:
            super().decode(encoded_packet)
        except (ValueError, RecursionError) as exc:  # a bad packet type or base64, JSON nested too deep
            log.warning("Ignored an Engine.IO packet that does not parse: %s", exc)
            self.packet_type, self.data, self.binary = engineio.packet.NOOP, None, False


def harden_protocol(server: socketio.Server) -> None:
    """Make `server` (with CheckedPacket as its serializer) log malformed packets in one line."""
    # Engine.IO offers no setting for its packet class: its modules look it up here at each use.
    if not issubclass(engineio.packet.Packet, _LenientEnginePacket):
        engineio.packet.Packet = _LenientEnginePacket
    handle = server.eio.handlers["message"]
    if getattr(handle, "checks_packets", False):
        return

    def on_message(eio_sid, data):
        try:
            if not data:  # Socket.IO would take it for an event without a name
                raise MalformedPacket("an empty packet")
            return handle(eio_sid, data)
        except MalformedPacket as exc:
            log.warning("Ignored a Socket.IO packet from %s: %s", eio_sid, exc)

    on_message.checks_packets = True
    server.eio.on("message", on_message)
