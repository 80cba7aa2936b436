"""The real server's transport settings (plc/server.py). The browser tests run through them too."""
import socket
import zlib

import pytest
import simple_websocket.ws
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Message, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

from plc.server import COMPRESS_FROM_BYTES, LargeMessagesDeflate, listener, use_large_messages_deflate

RSV1 = 0x40  # the frame header bit that says "this message is compressed"


def connected_pair() -> tuple[WSConnection, WSConnection]:
    """A browser-like client that offers permessage-deflate, and a server that accepts it."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="plc.test", target="/socket.io/", extensions=[PerMessageDeflate()])))
    assert isinstance(next(server.events()), Request)
    client.receive_data(server.send(AcceptConnection(extensions=[LargeMessagesDeflate()])))
    assert isinstance(next(client.events()), AcceptConnection)
    return client, server


def words(size: int) -> str:
    return ("42 groups of six apples " * (size // 24 + 1))[:size]


@pytest.mark.parametrize("size, compressed", [
    (1, False), (138, False), (COMPRESS_FROM_BYTES - 1, False), (COMPRESS_FROM_BYTES, True), (20_000, True),
])
def test_only_messages_of_a_kilobyte_or_more_are_compressed_and_all_arrive_whole(size, compressed):
    client, server = connected_pair()
    for text in (words(size), words(size)[::-1]):  # the second one after the first's compression state
        frame = server.send(Message(data=text))
        assert bool(frame[0] & RSV1) is compressed
        assert (len(frame) < size) is compressed
        client.receive_data(frame)
        [received] = client.events()
        assert isinstance(received, TextMessage) and received.data == text


def test_small_and_large_messages_interleave_on_one_connection():
    client, server = connected_pair()
    sent = [words(n) for n in (100, 5000, 300, 8000, 20, 5000)]
    for text in sent:
        client.receive_data(server.send(Message(data=text)))
    assert [event.data for event in client.events()] == sent


def test_a_broadcast_is_compressed_once_and_every_connection_reads_it(monkeypatch):
    compressions = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *args: compressions.append(args) or real(*args))
    pairs = [connected_pair() for _ in range(5)]
    for text in (words(6000), words(9000)[::-1]):  # two broadcasts in a row
        frames = [server.send(Message(data=text)) for _, server in pairs]
        assert len(set(frames)) == 1  # the same bytes on every connection
        for (client, _), frame in zip(pairs, frames):
            client.receive_data(frame)
            [received] = client.events()
            assert received.data == text
    assert len(compressions) == 2


def test_the_server_says_it_compresses_each_message_on_its_own():
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="plc.test", target="/socket.io/", extensions=[PerMessageDeflate()])))
    next(server.events())
    answer = server.send(AcceptConnection(extensions=[LargeMessagesDeflate()]))
    assert b"server_no_context_takeover" in answer


def test_simple_websocket_accepts_connections_with_it(monkeypatch):
    monkeypatch.setattr(simple_websocket.ws, "PerMessageDeflate", PerMessageDeflate)
    use_large_messages_deflate()
    assert simple_websocket.ws.PerMessageDeflate is LargeMessagesDeflate


def test_every_accepted_connection_sends_without_delay():
    with listener("127.0.0.1", 0) as sock, socket.create_connection(sock.getsockname()):
        accepted, _ = sock.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
