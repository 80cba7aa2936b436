"""The PLC meeting app: create_app builds it from configuration."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, request
from flask.globals import request_ctx
from werkzeug.middleware.proxy_fix import ProxyFix

from plc import database  # noqa: F401  (SQLite settings on every connection)
from plc.accounts.sessions import CookieSessions
from plc.config import ROOT, default_instance_path, load_config
from plc.errors import UserError
from plc.extensions import csrf, db, limiter, login_manager, migrate, socketio
from plc.realtime.protocol import CheckedPacket, harden_protocol
from plc.realtime.batching import outbox
from plc.realtime.relay import init_relay
from plc.realtime.sync import client_manager
from plc.urls import IdConverter


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path or default_instance_path(),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.session_interface = CookieSessions()
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    # Every route with an id takes it as <id:...>: out of range is a 404, never a database error.
    app.url_map.converters["id"] = IdConverter

    _check_protocols(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    limiter.init_app(app)
    # Socket.IO handlers must be declared before init_app, which copies them onto its server.
    from plc.meetings import events  # noqa: F401
    from plc.meetings.live import init_live_meetings  # each process's copies of its live meetings
    from plc.meetings import failover  # noqa: F401  (resends the rooms when another process dies)
    from plc.work import live  # noqa: F401  (adds student work to the room's state)
    from plc.work import pages  # noqa: F401  (a task's student-work page hears of changes)
    from plc.sort import events as sort_events  # noqa: F401  (the Work Sort board)
    from plc.review import events as review_events  # noqa: F401  ("Since last time")
    from plc.solutions import events as solutions_events  # noqa: F401  (teachers' photos of their solutions)
    from plc.realtime import logouts  # noqa: F401  (a logout closes the user's live connections)
    # The message queue's manager also carries news between the processes (plc/realtime/sync.py).
    # Always given (None: no queue), so that no app keeps the manager an earlier one was given.
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        manage_session=True,
        # A connection's events run one after another, in the order it sent them, on the greenlet
        # that reads it: a phone's answer and its edit never swap places, even where the database
        # lets other greenlets run (PostgreSQL), and no greenlet is started per event.
        async_handlers=False,
        serializer=CheckedPacket,
        client_manager=client_manager(app.config["SOCKETIO_MESSAGE_QUEUE"]),
    )
    harden_protocol(socketio.server)
    outbox.init_app(app)
    init_live_meetings(app)
    init_relay(app)
    if app.config["PROXY_HOPS"]:
        # Outside Socket.IO's middleware too: a socket's address is the phone's as well.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])

    from plc import models  # noqa: F401  (registers every table)
    # Each feature deletes what it owns when plc/retention deletes something (plc/deletion.py).
    from plc.meetings import deletion as meetings_deletion  # noqa: F401
    from plc.sort import deletion as sort_deletion  # noqa: F401
    from plc.teams import deletion as teams_deletion  # noqa: F401
    from plc.work import deletion as work_deletion  # noqa: F401
    from plc.solutions import deletion as solutions_deletion  # noqa: F401
    from plc.accounts.routes import bp as accounts_bp
    from plc.meetings.routes import bp as meetings_bp
    from plc.teams.routes import bp as teams_bp
    from plc.work.routes import bp as work_bp
    from plc.retention.routes import bp as retention_bp
    from plc.review.routes import bp as review_bp
    from plc.solutions.routes import bp as solutions_bp
    from plc.cli import register_cli

    app.register_blueprint(accounts_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(work_bp)
    app.register_blueprint(retention_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(solutions_bp)
    register_cli(app)
    _register_error_pages(app)
    _register_security_headers(app)
    return app


def _check_protocols(app: Flask) -> None:
    """A malformed protocol file stops start-up with a message naming file, step and field."""
    from plc.protocols import ProtocolError, load_protocols

    try:
        load_protocols(app.config["PROTOCOLS_DIR"])
    except ProtocolError as exc:
        raise SystemExit(f"Protocol files in {app.config['PROTOCOLS_DIR']} are not valid:\n{exc}") from exc


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: ("Something was wrong with that request", "Please go back and try again."),
        403: ("Not allowed", "You do not have access to this page."),
        404: ("Not found", "There is nothing here, or it is not yours to see."),
        413: ("Too large", "That upload is larger than the limit; send fewer or smaller files at a time."),
        429: ("Too many tries", "Please wait a minute before trying again."),
    }

    def page(code: int, text: str):
        title = messages[code][0]
        if request_ctx.url_adapter is None:  # a Host that is not allowed: no page can link anywhere
            return f"{title}: {text}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": f"{title}: {text}"}, code
        return render_template("error.html", title=title, text=text, code=code), code

    def user_error(error: UserError):
        """A route that lets a UserError through: its message, as a bad request, with nothing stored."""
        db.session.rollback()
        return page(400, str(error))

    for code in messages:
        app.register_error_handler(code, lambda error: page(error.code, messages[error.code][1]))
    app.register_error_handler(UserError, user_error)


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        if request.endpoint != "static":
            # Pages, exports and pictures of a team's or a student's work: never kept by a browser
            # or a proxy (a shared computer's back button, a school's caching proxy).
            response.headers["Cache-Control"] = "private, no-store"
        if app.config["HSTS"] or request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
            "script-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
