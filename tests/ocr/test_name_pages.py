"""Names on generated pages (``--name-styles``: labels such as "Nme:" or none, the name top
left, top right or in a drawn box, a date beside it), in every installed handwriting font, and
with the label misread in several ways: in every case either the name is inside a blurred box
or the page waits for a person to check it (``find_name`` is sure only of a box it blurs).
Each page is read once per test session."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from plc.ocr.base import Word
from plc.ocr.names import find_name, name_band
from plc.ocr.registry import get_engine
from tests.conftest import STUDENT_WORK_GENERATOR

PAGES_PER_FONT = 2
MISREAD_LABELS = ("Nane", "Mame", "Narne:", "Nme:", "Mane", "Nane:", "Nam e")
SLACK = 2  # pixels: a blur box's edge may sit this close inside the name's ink box


def handwriting_fonts() -> list[str]:
    """Every installed font whose name says handwriting, comic, humor or script."""
    listed = subprocess.run(["fc-list", "--format", "%{file}|%{family}\n"], capture_output=True, text=True).stdout
    pattern = re.compile(r"hand|comic|humor|script", re.I)
    return sorted({line.split("|")[0] for line in listed.splitlines() if pattern.search(line)})


@pytest.fixture(scope="session")
def read_pages(tmp_path_factory) -> list[dict]:
    """The generated pages, each with its top band and its whole page read once."""
    fonts = handwriting_fonts()
    if not fonts:
        pytest.skip("no handwriting font installed")
    out = tmp_path_factory.mktemp("name_pages")
    subprocess.run([sys.executable, str(STUDENT_WORK_GENERATOR), str(out), "--name-styles", "--seed", "13",
                    "--count", str(PAGES_PER_FONT * len(fonts)), "--fonts", ",".join(fonts)],
                   check=True, capture_output=True)
    engine = get_engine(os.environ.get("PLC_OCR_ENGINE", "tesseract"), timeout=60)
    pages = json.loads((out / "manifest.json").read_text())
    for page in pages:
        with Image.open(out / page["file"]) as image:
            image = image.convert("RGB")
            page["band_bottom"] = name_band(*image.size)[3]
            page["band_words"] = engine.read(image, region=name_band(*image.size)).words
            page["words"] = engine.read(image).words
            page["width"] = image.width
    return pages


def outcome(page: dict, band_words: list[Word], words: list[Word]) -> tuple[list, bool]:
    """As the background job decides (plc/work/processing.py): the boxes blurred, and whether
    the page waits for a name check."""
    early = find_name(band_words, right_edge=page["width"], band_bottom=page["band_bottom"])
    late = find_name(words, right_edge=page["width"], band_bottom=page["band_bottom"])
    blurred = [f.box for f in (early, late) if f.sure]
    return blurred, not blurred


def covered(name_box, boxes) -> bool:
    left, top, right, bottom = name_box
    return any(b[0] - SLACK <= left and b[1] - SLACK <= top and right <= b[2] + SLACK and bottom <= b[3] + SLACK
               for b in boxes)


def safe(page: dict, band_words: list[Word], words: list[Word]) -> bool:
    blurred, waits = outcome(page, band_words, words)
    return waits or covered(page["name_box"], blurred)


def misread(words: list[Word], as_text: str) -> list[Word]:
    """The words with every label-like 'Name' token read as ``as_text`` instead."""
    label = re.compile(r"^(name|nme|nam)\s*[:\-]?$", re.I)
    return [replace(w, text=as_text) if label.match(w.text.strip()) else w for w in words]


def test_every_font_and_style_is_blurred_or_waits_for_a_check(read_pages):
    unsafe = [(p["file"], p["font"], p["name_label"], p["name_position"]) for p in read_pages
              if not safe(p, p["band_words"], p["words"])]
    assert not unsafe, unsafe
    # the pages cover every font and place, and labels from none to misspelled
    assert {p["name_position"] for p in read_pages} == {"top left", "top right", "box"}
    assert None in {p["name_label"] for p in read_pages} and "Nme:" in {p["name_label"] for p in read_pages}
    assert len({p["font"] for p in read_pages}) == len(handwriting_fonts())


@pytest.mark.parametrize("as_text", MISREAD_LABELS)
def test_a_misread_label_never_lets_the_name_through(read_pages, as_text):
    unsafe = [(p["file"], p["font"], p["name_position"]) for p in read_pages
              if not safe(p, misread(p["band_words"], as_text), misread(p["words"], as_text))]
    assert not unsafe, unsafe


def test_with_no_label_read_at_all_the_page_waits_for_a_check(read_pages):
    for page in read_pages:
        band = [w for w in page["band_words"] if not re.match(r"^(name|nme|nam)", w.text.strip(), re.I)]
        words = [w for w in page["words"] if not re.match(r"^(name|nme|nam)", w.text.strip(), re.I)]
        assert outcome(page, band, words)[1], page["file"]
