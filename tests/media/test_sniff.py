"""Identifying a file by its first bytes: where the filetype library decides and where our
own rules do (HEIF brands, text that starts like a binary format)."""
import io

import pytest

from plc.media.errors import UploadRejected
from plc.media.sniff import identify


def kind_or_message(head: bytes) -> str:
    try:
        return identify(head, io.BytesIO(head))
    except UploadRejected as exc:
        return str(exc)


@pytest.mark.parametrize("major, compatible", [(b"heic", b"mif1"), (b"heix", b"mif1"), (b"mif1", b"heic"),
                                               (b"mif1", b"mif1")])
def test_every_heif_brand_libheif_reads_is_a_heic_photo(major, compatible):
    head = b"\x00\x00\x00\x18ftyp" + major + b"\x00\x00\x00\x00" + compatible + major + bytes(64)
    assert kind_or_message(head) == "heif"


def test_avif_is_named_not_taken_for_heif():
    head = b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif" + bytes(64)
    assert kind_or_message(head).startswith("This is an AVIF image;")


@pytest.mark.parametrize("start", ["BMI of the class", "GIFs of the lesson", "ID3 notes", "8BPS"])
def test_text_that_starts_like_a_binary_format_is_text(start):
    assert kind_or_message(f"{start}\n8 + 5 = 13\n".encode()).startswith("This file is text")


def test_pdf_after_junk_and_a_real_binary_format():
    assert kind_or_message(b"garbage line\n%PDF-1.7\n" + bytes(100)) == "pdf"
    assert kind_or_message(b"BM" + b"\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00") \
        .startswith("This is a BMP image;")
