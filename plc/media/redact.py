"""Making parts of a picture unreadable (a student's name) before anyone sees it."""
from __future__ import annotations

from PIL import Image, ImageFilter

from plc.media.colour import has_alpha


def blur_boxes(image: Image.Image, boxes: list[tuple[int, int, int, int]],
               strength: int | None = None) -> Image.Image:
    """A copy in which each (left, top, right, bottom) box, clipped to the
    image and padded a little, is made unreadable: pixelated into blocks about
    a third of the box height, then blurred.  ``strength`` overrides that block
    size in pixels.  Boxes outside the image are ignored."""
    out = image.copy()
    if out.mode not in ("RGB", "RGBA", "L", "LA"):
        out = out.convert("RGBA" if has_alpha(out) else "RGB")
    width, height = out.size
    for box in boxes:
        left, top, right, bottom = (int(v) for v in box)
        if right < left:
            left, right = right, left
        if bottom < top:
            top, bottom = bottom, top
        box_h = max(1, bottom - top)
        pad = max(4, box_h // 8)
        left, top = max(0, left - pad), max(0, top - pad)
        right, bottom = min(width, right + pad), min(height, bottom + pad)
        if right - left < 1 or bottom - top < 1:
            continue
        region = out.crop((left, top, right, bottom))
        rw, rh = region.size
        block = strength if strength and strength > 0 else max(6, box_h // 3)
        small = region.resize((max(1, rw // block), max(1, rh // block)), Image.Resampling.BOX)
        region = small.resize((rw, rh), Image.Resampling.NEAREST)
        region = region.filter(ImageFilter.GaussianBlur(max(2, block // 2)))
        out.paste(region, (left, top))
    return out
