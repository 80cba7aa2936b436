"""Student work fixtures: synthetic photos from the shared generator, made at test time."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import STUDENT_WORK_GENERATOR


def generate(out: Path, *flags: str, count: int = 2, megapixels: float = 2.0) -> list[dict]:
    subprocess.run([sys.executable, str(STUDENT_WORK_GENERATOR), str(out), "--count", str(count),
                    "--megapixels", str(megapixels), *flags], check=True, capture_output=True)
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest:
        entry["path"] = out / entry["file"]
    return manifest


@pytest.fixture(scope="session")
def phone_photos(tmp_path_factory) -> list[dict]:
    """Two phone photos with GPS in their EXIF, stored sideways with EXIF orientation 6."""
    return generate(tmp_path_factory.mktemp("photos"), "--photo", "--gps", "--rotate-exif")
