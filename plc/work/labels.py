"""What the pages say about a sample's status: the server's words, which the pages' scripts
receive once with their page (`page_constants`)."""
from __future__ import annotations

from plc.work.processing import UNFINISHED
from plc.work.services import MAX_TEXT_CHARS

# By status (see models.STATUSES); a failed sample shows its own error instead.
STATUS_TEXT = {
    "queued": "Waiting…", "processing": "Cleaning the image…", "reading": "Reading…", "done": "", "failed": "Failed",
}


def page_constants() -> dict:
    return {"status_text": STATUS_TEXT, "unfinished": list(UNFINISHED), "text_max_chars": MAX_TEXT_CHARS}
