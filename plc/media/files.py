"""Writing uploads and the copies made of them to disk: a size-limited receive, and JPEGs
written atomically so that no reader ever sees half a file."""
from __future__ import annotations

import hashlib
import os
import secrets
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from plc.media.clean import clean
from plc.media.errors import too_big

_CHUNK = 1024 * 1024


def receive(stream: BinaryIO, path: Path, limit: int) -> str:
    """Copy an upload's stream to ``path``, creating parent folders, and return the sha256 of
    its bytes (hex); past ``limit`` bytes the partial file is removed and UploadRejected raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        while chunk := stream.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise too_big(limit)
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def save_jpeg(image: Image.Image, path: str | Path, quality: int = 85, optimized: bool = True) -> None:
    """Write a JPEG with no metadata, atomically (temp file in the same folder, fsync,
    os.replace), creating parent folders. `optimized`: progressive, with optimized Huffman
    tables (smaller, but Pillow holds the GIL for the whole encode, tens of milliseconds for a
    large picture: in the server's threads pass False, for a baseline JPEG encoded in chunks)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if image.mode not in ("RGB", "L") or image.info:
        image = clean(image, max(image.size))   # fresh RGB copy without metadata
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # os.open with 0o666 so the final file gets the usual umask-based mode.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            image.save(fh, "JPEG", quality=quality, progressive=optimized, optimize=optimized)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
