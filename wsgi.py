"""Serve the app for real: `python wsgi.py` (gevent), or `gunicorn -k gevent -w 1 wsgi:app`.

Under gevent the standard library is monkey-patched before anything else is imported.
"""
import os

if __name__ == "__main__" or os.environ.get("PLC_SOCKETIO_ASYNC_MODE") == "gevent":
    from gevent import monkey

    monkey.patch_all()
    os.environ["PLC_SOCKETIO_ASYNC_MODE"] = "gevent"

from plc import create_app  # noqa: E402
from plc.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    host = os.environ.get("PLC_HOST", "0.0.0.0")
    port = int(os.environ.get("PLC_PORT", "5000"))
    print(f"Math PLC on http://localhost:{port} (join page: http://<this machine's address>:{port}/join)")
    socketio.run(app, host=host, port=port)
