"""OCR engines by name, so that configuration (OCR_ENGINE) picks one. A new engine is a
module beside rapid.py and tesseract.py that is registered here."""
from __future__ import annotations

from collections.abc import Callable

from plc.ocr.base import OcrEngine
from plc.ocr.rapid import RapidOcrEngine
from plc.ocr.tesseract import TesseractEngine

_ENGINES: dict[str, Callable[..., OcrEngine]] = {}


def register_engine(name: str, factory: Callable[..., OcrEngine]) -> None:
    """Make an engine available to ``get_engine`` under ``name``."""
    _ENGINES[name] = factory


def get_engine(name: str, **options) -> OcrEngine:
    """A new engine by its configured name; ``options`` go to its constructor."""
    try:
        factory = _ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(_ENGINES)) or "none"
        raise ValueError(f"unknown OCR engine {name!r}; known engines: {known}") from None
    return factory(**options)


register_engine(RapidOcrEngine.name, RapidOcrEngine)
register_engine(TesseractEngine.name, TesseractEngine)
