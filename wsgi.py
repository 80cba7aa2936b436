"""Serve the app for real: `python wsgi.py` (gevent, and the task-queue worker beside it),
or `gunicorn -k gevent -w 1 wsgi:app` with `huey_consumer plc.worker.huey` run separately
(plc/server.py's transport settings apply there too, except TCP_NODELAY, which is gunicorn's to set).

Under gevent the standard library is monkey-patched before anything else is imported: here when
run as a script, by gunicorn's gevent worker before it loads this module. Socket.IO then runs
in gevent's mode (plc/config.py).
"""
import gc

if __name__ == "__main__":
    from gevent import monkey

    monkey.patch_all()

from plc import create_app  # noqa: E402
from plc.config import server_settings  # noqa: E402
from plc.realtime.liveness import watch_processes  # noqa: E402
from plc.realtime.relay import relay_of  # noqa: E402
from plc.server import use_tuned_transport  # noqa: E402

app = create_app()
if app.config["SOCKETIO_ASYNC_MODE"] == "gevent":
    use_tuned_transport()
    relay_of(app).start(app)
    watch_processes(app)  # several processes: news of one that dies (plc/realtime/liveness.py)
# Everything loaded so far lives as long as the server: keep it out of the garbage
# collector's full passes, which otherwise pause every socket for 100 ms and more.
gc.collect()
gc.freeze()
# A full pass still walks every connection's objects (100 ms with 600 phones connected): let it
# come after 100 middle-aged passes instead of 10, minutes apart rather than seconds. Nearly all
# garbage in cycles (one per Socket.IO event) dies young and goes in the young passes.
# A young pass costs about as much for 2,000 new objects as for 700 (what it walks is mostly the
# messages still on their way to 600 phones), so it comes every 2,000: at 200 answers a second,
# the collector took 0.75 s of a 40 s run instead of 1.7 s (gc callbacks, `python -m bench --scenarios d`).
gc.set_threshold(2000, 10, 100)

if __name__ == "__main__":
    from plc.server import serve
    from plc.worker import start_worker_process

    settings = server_settings()
    if settings.start_worker:
        start_worker_process()
    port = settings.port
    print(f"Math PLC on http://localhost:{port} (join page: http://<this machine's address>:{port}/join)")
    serve(app, settings.host, settings.port)
