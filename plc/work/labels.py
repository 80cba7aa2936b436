"""What the pages say about a sample's status: the server's words, which the pages' scripts
receive once with their page (`page_constants`)."""
from __future__ import annotations

from plc.work.lifecycle import DONE, FAILED, PROCESSING, QUEUED, READING, UNFINISHED
from plc.work.services import MAX_TEXT_CHARS

# By status (plc/work/lifecycle.py); a failed sample shows its own error instead.
STATUS_TEXT = {
    QUEUED: "Waiting…", PROCESSING: "Cleaning the image…", READING: "Reading…", DONE: "", FAILED: "Failed",
    "check": "Check for a name",  # not a job status: the name check waits (models.NAME_CHECKS)
}


def page_constants() -> dict:
    return {"status_text": STATUS_TEXT, "unfinished": list(UNFINISHED), "text_max_chars": MAX_TEXT_CHARS}
