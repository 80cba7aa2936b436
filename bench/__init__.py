"""Latency benchmark of the live room: `make bench` (python -m tests.bench).

The real app server and a bare Flask-SocketIO broadcast server (baseline_server.py)
are each started under gevent on 127.0.0.1; one Node process (clients.mjs) holds
every Socket.IO client and measures emit-to-receipt delays with one clock.
"""
