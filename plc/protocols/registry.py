"""The protocols the agenda picker offers, re-read when the folder changes."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from plc.protocols.loader import Protocol, ProtocolError, load_protocols

log = logging.getLogger(__name__)
_cache: dict[str, tuple] = {}


def _fingerprint(directory: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.glob("*.y*ml")))


def available_protocols() -> tuple[dict[str, Protocol], str | None]:
    """The valid protocols and, if a file changed since start-up is now broken, its error.

    Start-up refuses a broken folder outright (see create_app); while running, a broken
    new file keeps the last good set and the error is shown to the facilitator.
    """
    directory = Path(current_app.config["PROTOCOLS_DIR"])
    key = str(directory)
    fingerprint = _fingerprint(directory)
    cached = _cache.get(key)
    if cached and cached[0] == fingerprint:
        return cached[1], cached[2]
    try:
        protocols, error = load_protocols(directory), None
    except ProtocolError as exc:
        log.error("protocol files: %s", exc)
        protocols, error = (cached[1] if cached else {}), str(exc)
    _cache[key] = (fingerprint, protocols, error)
    return protocols, error
