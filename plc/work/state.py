"""What clients receive about a sample of student work."""
from __future__ import annotations

from plc.ocr.base import LOW_CONFIDENCE
from plc.ocr.names import text_after_name_line
from plc.work.models import WorkSample


def _version(name: str | None) -> str:
    # File names are random and change whenever an image is redone: a cache-proof version.
    return name.rsplit("/", 1)[-1][:8] if name else ""


def sample_payload(sample: WorkSample) -> dict:
    """What the room may see of a sample: of one still private (see ``WorkSample.private``)
    only its label, page and status ("check" while its name check waits; once checked, its job's,
    with "failed" and its reason for "Try again")."""
    if sample.private:
        waiting = sample.name_check == "waiting"
        return {"id": sample.id, "task_id": sample.task_id, "label": sample.student_label, "page": sample.page,
                "status": "check" if waiting else sample.status, "error": None if waiting else sample.error,
                "thumb_url": None, "image_url": None, "check_url": f"/work/{sample.id}/check" if waiting else None,
                "width": None, "height": None, "text": None, "preview": None, "corrected": False,
                "confidence": None, "unsure_words": []}
    return {
        "id": sample.id,
        "task_id": sample.task_id,
        "label": sample.student_label,
        "page": sample.page,
        "status": sample.status,
        "error": sample.error,
        "check_url": None,
        "thumb_url": f"/work/{sample.id}/thumb?v={_version(sample.thumb_name)}" if sample.thumb_name else None,
        "image_url": f"/work/{sample.id}/image?v={_version(sample.image_name)}" if sample.image_name else None,
        "width": sample.width,
        "height": sample.height,
        "text": sample.text,
        # What cards show of the text: the work, without the "Name:" line at its top.
        "preview": text_after_name_line(sample.text),
        "corrected": sample.corrected_text is not None,
        "confidence": round(sample.ocr_confidence, 1) if sample.ocr_confidence is not None else None,
        # Words the OCR was unsure of, to mark in the text (only while the text is uncorrected).
        "unsure_words": sorted({w["text"] for w in (sample.ocr_words or []) if w["confidence"] < LOW_CONFIDENCE})
        if sample.corrected_text is None else [],
    }
