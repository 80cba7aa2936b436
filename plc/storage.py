"""Files on disk under the uploads folder, named by the app, never by the uploader."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app


def new_name(folder: str, suffix: str) -> str:
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def path_of(name: str) -> Path:
    root = Path(current_app.config["UPLOADS_DIR"]).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"not a stored file name: {name!r}")
    return path


def delete(*names: str | None) -> None:
    for name in names:
        if name:
            try:
                os.remove(path_of(name))
            except FileNotFoundError:
                pass
