"""Settings read before an app exists come from plc/config.py too, with one-machine defaults."""
from pathlib import Path

from plc import config


def test_server_and_worker_settings_have_one_machine_defaults(monkeypatch, tmp_path):
    for name in ("PLC_HOST", "PLC_PORT", "PLC_START_WORKER", "PLC_WORKERS", "PLC_TASK_QUEUE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PLC_INSTANCE_PATH", str(tmp_path))
    assert config.server_settings() == config.ServerSettings(host="0.0.0.0", port=5000, start_worker=True)
    assert config.worker_processes() >= 1
    assert config.task_queue_url() == f"sqlite:///{Path(tmp_path) / 'jobs.sqlite3'}"
    assert config.worker_environment()["OMP_THREAD_LIMIT"] == "1"
    assert config.load_config(str(tmp_path))["SOCKETIO_ASYNC_MODE"] == "threading"


def test_server_and_worker_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PLC_HOST", "127.0.0.1")
    monkeypatch.setenv("PLC_PORT", "8080")
    monkeypatch.setenv("PLC_START_WORKER", "0")
    monkeypatch.setenv("PLC_WORKERS", "3")
    monkeypatch.setenv("PLC_TASK_QUEUE_URL", "redis://localhost:6379/2")
    monkeypatch.setenv("PLC_SOCKETIO_ASYNC_MODE", "gevent")
    assert config.server_settings() == config.ServerSettings(host="127.0.0.1", port=8080, start_worker=False)
    assert config.worker_processes() == 3
    assert config.task_queue_url() == "redis://localhost:6379/2"
    assert config.load_config(str(tmp_path))["SOCKETIO_ASYNC_MODE"] == "gevent"
