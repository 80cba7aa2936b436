"""Serve the app for real: `python wsgi.py` (gevent, and the task-queue worker beside it),
or `gunicorn -k gevent -w 1 wsgi:app` with `huey_consumer plc.worker.huey` run separately
(the compression setting of plc/server.py applies there too; TCP_NODELAY is gunicorn's to set).

Under gevent the standard library is monkey-patched before anything else is imported.
"""
import gc
import os

if __name__ == "__main__" or os.environ.get("PLC_SOCKETIO_ASYNC_MODE") == "gevent":
    from gevent import monkey

    monkey.patch_all()
    os.environ["PLC_SOCKETIO_ASYNC_MODE"] = "gevent"

from plc import create_app  # noqa: E402
from plc.server import use_large_messages_deflate  # noqa: E402
from plc.work.notify import ensure_watching  # noqa: E402

app = create_app()
if app.config["SOCKETIO_ASYNC_MODE"] == "gevent":
    use_large_messages_deflate()
    ensure_watching(app)
# Everything loaded so far lives as long as the server: keep it out of the garbage
# collector's full passes, which otherwise pause every socket for 100 ms and more.
gc.collect()
gc.freeze()
# A full pass still walks every connection's objects (100 ms with 600 phones connected): let it
# come after 100 middle-aged passes instead of 10, minutes apart rather than seconds. Nearly all
# garbage in cycles (one per Socket.IO event) dies young and goes in the young passes.
gc.set_threshold(700, 10, 100)

if __name__ == "__main__":
    from plc.server import serve
    from plc.worker import start_worker_process

    if os.environ.get("PLC_START_WORKER", "1") == "1":
        start_worker_process()
    host = os.environ.get("PLC_HOST", "0.0.0.0")
    port = int(os.environ.get("PLC_PORT", "5000"))
    print(f"Math PLC on http://localhost:{port} (join page: http://<this machine's address>:{port}/join)")
    serve(app, host, port)
