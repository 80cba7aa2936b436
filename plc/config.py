"""Every setting comes from the environment, with defaults that run on one machine.

This is the only module that reads the environment: `load_config` for an app, and the few
functions below for what is set up before any app exists (the task queue, the server, its workers).
"""
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from gevent import monkey


def _instance_secret_key(instance_path: str) -> str:
    """Read the secret key kept in the instance folder, creating it on first run."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


ROOT = Path(__file__).resolve().parent.parent

# Tesseract's OpenMP threads fight each other when several OCR processes run at once (one
# per core is the plan): one thread per tesseract process. pytesseract starts tesseract with
# this process's environment, and every process of the app loads this module first.
os.environ["OMP_THREAD_LIMIT"] = "1"


DEFAULT_OCR_ENGINE = "rapidocr"
"""Chosen by measurement (bench/ocr.py): it reads handwriting several times better than
"tesseract", which stays available (PLC_OCR_ENGINE=tesseract)."""


def default_instance_path() -> str:
    return os.environ.get("PLC_INSTANCE_PATH") or str(ROOT / "instance")


def _list(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def load_config(instance_path: str) -> dict:
    env = os.environ.get
    public_url = env("PLC_PUBLIC_URL") or None
    https = env("PLC_SECURE_COOKIES", "0") == "1" or (public_url or "").startswith("https://")
    return {
        "SECRET_KEY": env("PLC_SECRET_KEY") or _instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": env(
            "PLC_DATABASE_URL", f"sqlite:///{Path(instance_path) / 'plc.sqlite3'}"
        ),
        # Socket.IO: "threading" for tests and the shell, "gevent" when served for real.
        "SOCKETIO_ASYNC_MODE": env("PLC_SOCKETIO_ASYNC_MODE") or _async_mode_of_process(),
        # e.g. redis://localhost:6379/0 when several server processes share rooms.
        "SOCKETIO_MESSAGE_QUEUE": env("PLC_SOCKETIO_MESSAGE_QUEUE") or None,
        "RATELIMIT_STORAGE_URI": env("PLC_RATELIMIT_STORAGE_URI", "memory://"),
        # Wrong join codes from one address (a whole school may share one: 40 phones mistyping a few
        # times stay under it), and tries of one wrong code from anywhere. Right codes never count.
        "JOIN_ATTEMPTS_LIMIT": env("PLC_JOIN_ATTEMPTS_LIMIT", "200 per minute"),
        "JOIN_CODE_GUESSES_LIMIT": env("PLC_JOIN_CODE_GUESSES_LIMIT", "20 per minute"),
        "LOGIN_ATTEMPTS_LIMIT": env("PLC_LOGIN_ATTEMPTS_LIMIT", "10 per minute"),
        "PROTOCOLS_DIR": env(
            "PLC_PROTOCOLS_DIR", str(ROOT / "protocols")
        ),
        "UPLOADS_DIR": env(
            "PLC_UPLOADS_DIR", str(ROOT / "uploads")
        ),
        "MEETING_CODE_HOURS": int(env("PLC_MEETING_CODE_HOURS", "12")),
        # Phones joining a live meeting within this many seconds share one update of its list of names.
        "LIVE_PARTICIPANTS_DELAY": float(env("PLC_LIVE_PARTICIPANTS_DELAY", "0.25")),
        # Answers a room sends within this many seconds of its last message go out as one
        # (plc/realtime/batching.py); the first after a quiet spell goes at once.
        "LIVE_BATCH_SECONDS": float(env("PLC_LIVE_BATCH_MS", "10")) / 1000,
        "RESPONSE_MAX_CHARS": int(env("PLC_RESPONSE_MAX_CHARS", "500")),
        "MAX_CONTENT_LENGTH": int(env("PLC_MAX_REQUEST_MB", "64")) * 1024 * 1024,
        "PUBLIC_URL": public_url,
        # Behind a load balancer (deploy/haproxy.cfg: 1): how many proxies' X-Forwarded-For and
        # X-Forwarded-Proto to believe, so that rate limits count phones, not the proxy. 0: none.
        "PROXY_HOPS": int(env("PLC_PROXY_HOPS", "0")),
        # The host names this server answers to (e.g. "plc.school.org,192.168.1.20"): any other Host
        # header gets 400. Unset: links use PLC_PUBLIC_URL, or the request's host only when it is an address.
        "TRUSTED_HOSTS": _list(env("PLC_ALLOWED_HOSTS")) or None,
        "OCR_ENGINE": env("PLC_OCR_ENGINE", DEFAULT_OCR_ENGINE),
        "OCR_TIMEOUT_SECONDS": float(env("PLC_OCR_TIMEOUT_SECONDS", "60")),
        # A job whose worker died is taken up again once its lease runs out.
        "JOB_LEASE_SECONDS": int(env("PLC_JOB_LEASE_SECONDS", "180")),
        # Tests only: the crash test (tests/work/test_job_crashes.py) stops every job at this
        # stage of its life (plc/work/lifecycle.py STAGES) to kill the server there.
        "TEST_PAUSE_JOB_AT": env("PLC_TEST_PAUSE_JOB_AT") or None,
        "UPLOAD_MAX_FILES": int(env("PLC_UPLOAD_MAX_FILES", "40")),
        # Requests' CPU work (pictures, PDFs) runs off the event loop, this many at once at most
        # (plc/offload.py): one core but one, so that the live room keeps a core.
        "OFFLOAD_AT_ONCE": int(env("PLC_OFFLOAD_AT_ONCE") or max(1, (os.cpu_count() or 1) - 1)),
        # One machine: the server looks for finished jobs in the database this often.
        "WORK_POLL_SECONDS": float(env("PLC_WORK_POLL_SECONDS", "0.5")),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # Served over HTTPS (PLC_PUBLIC_URL says so, or PLC_SECURE_COOKIES=1): cookies only over HTTPS,
        # and browsers are told to use nothing else (HSTS, plc/__init__.py).
        "SESSION_COOKIE_SECURE": https,
        "HSTS": https,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
    }


def _async_mode_of_process() -> str:
    """gevent in a process gevent has patched (`python wsgi.py`, gunicorn's gevent worker), else threading."""
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def task_queue_url() -> str:
    """Where jobs wait: redis://host:6379/2 for several machines, else a SQLite file (sqlite:///path)."""
    return os.environ.get("PLC_TASK_QUEUE_URL") or f"sqlite:///{Path(default_instance_path()) / 'jobs.sqlite3'}"


@dataclass(frozen=True)
class ServerSettings:
    """How `python wsgi.py` serves: where it listens, and whether it starts the task-queue workers."""

    host: str
    port: int
    start_worker: bool


def server_settings() -> ServerSettings:
    env = os.environ.get
    return ServerSettings(
        host=env("PLC_HOST", "0.0.0.0"),
        port=int(env("PLC_PORT", "5000")),
        start_worker=env("PLC_START_WORKER", "1") == "1",
    )


def worker_processes() -> int:
    """Task-queue worker processes started beside the server: one per core but one, at least one
    (on a 2-core machine two OCR workers slow every broadcast down)."""
    return int(os.environ.get("PLC_WORKERS") or max(1, (os.cpu_count() or 1) - 1))


def worker_environment() -> dict[str, str]:
    """The environment of the worker processes: the server's, with OCR on one thread each
    (Tesseract otherwise starts a thread per core in every worker; RapidOCR's onnxruntime
    and OpenCV get one thread from plc.ocr.rapid itself)."""
    return dict(os.environ, OMP_THREAD_LIMIT="1")
