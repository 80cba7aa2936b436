"""Clean copies of a picture for people to see: upright already, scaled down, plain RGB, and
no metadata at all (no EXIF, GPS, ICC profile or XMP)."""
from __future__ import annotations

from PIL import Image

from plc.media.colour import flatten_to_rgb, normalize_mode, to_srgb
from plc.media.limits import DISPLAY_MAX_SIDE, THUMB_MAX_SIDE


def clean(image: Image.Image, max_side: int = DISPLAY_MAX_SIDE) -> Image.Image:
    """A new RGB image with no metadata, transparency flattened onto white, scaled down
    (never up) to at most ``max_side`` on the long side."""
    im = normalize_mode(image)
    w, h = im.size
    long_side = max(w, h)
    if long_side > max_side:
        scale = max_side / long_side
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        # LANCZOS after a cheap box reduction by an integer factor: the same
        # quality as a plain LANCZOS resize for these ratios, several times faster.
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    im = flatten_to_rgb(im)           # after resizing: cheaper, and Pillow resizes alpha correctly
    im = to_srgb(im)
    out = Image.new("RGB", im.size)   # a fresh image: no info, no EXIF, no ICC, no XMP
    out.paste(im)
    return out


def thumbnail(image: Image.Image) -> Image.Image:
    """Phone-sized copy: at most THUMB_MAX_SIDE on the long side, RGB, no metadata."""
    return clean(image, THUMB_MAX_SIDE)
