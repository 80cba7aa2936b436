"""Preparing a page for OCR: grayscale in which the ink is dark, shading and ruled lines
faded, resized to what Tesseract reads best, with a white border; and the way back from the
prepared image's coordinates to the original's."""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageMath, ImageOps

from plc.ocr.base import Box


def _flatten(image: Image.Image) -> Image.Image:
    """RGB (or L) with any transparency composited onto white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("RGB")
    if image.mode in ("1", "L", "I", "I;16", "F"):
        return image.convert("L")
    return image.convert("RGB")


def _ink_gray(image: Image.Image, suppress_colour: bool) -> Image.Image:
    """Grayscale in which the ink is dark.

    With ``suppress_colour`` the brightest channel of each pixel is used: dark
    pencil or pen ink stays dark while the light blue rules and the red margin
    of lined paper (bright in at least one channel) fade into the paper.
    """
    if image.mode == "L":
        return image
    if not suppress_colour:
        return image.convert("L")
    r, g, b = image.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def _even_background(gray: Image.Image, white_point: float, factor: int) -> Image.Image:
    """Divide the image by an estimate of the paper's own brightness, so
    shading across a photo (and a darker desk around the page) turns white,
    then push everything lighter than ``white_point`` of the paper to white
    (this is what fades the ruled lines the rest of the way).

    The background is a morphological closing of a copy ``factor`` times
    smaller (wider than any pen stroke), blurred and scaled back up.
    """
    small = gray.reduce(factor) if factor > 1 else gray
    # a closing (max, then min): pen strokes vanish, while large dark areas
    # such as the desk around a photographed page keep their edges, so they
    # divide out to white instead of leaving dark bands for tesseract to read
    small = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(5))
    small = small.filter(ImageFilter.GaussianBlur(1))
    background = small.resize(gray.size, Image.BILINEAR)
    gain = 255.0 / max(white_point, 1e-3)
    return ImageMath.lambda_eval(
        lambda a: a["convert"](
            a["min"](a["float"](a["g"]) * gain / a["max"](a["b"], 1), 255), "L"
        ),
        g=gray,
        b=background,
    )


@dataclass(frozen=True)
class Prepared:
    image: Image.Image  # what Tesseract reads
    scale: float  # prepared pixels per original pixel
    border: int  # white border added around the scaled crop, in prepared pixels
    origin: tuple[int, int]  # where the crop starts in the original image

    def to_original(self, x: float, y: float) -> tuple[float, float]:
        """A point of the prepared image in the original image's coordinates."""
        return (
            self.origin[0] + (x - self.border) / self.scale,
            self.origin[1] + (y - self.border) / self.scale,
        )


def page_scale(size: tuple[int, int], min_side: int = 1000, max_side: int = 2000) -> float:
    """How much to resize a page of this size before OCR: small images (shorter
    side under ``min_side``) up, at most 4x; large ones (longer side over
    ``max_side``) down. A 12 MP phone photo of a page has letters far taller
    than Tesseract needs, which costs time and, measured on the synthetic
    pages, a little accuracy too."""
    w, h = size
    scale = 1.0
    if min(w, h) < min_side:
        scale = min(4.0, min_side / max(1, min(w, h)))
    if max(w, h) * scale > max_side:
        scale = max_side / max(w, h)
    return scale


def prepare(
    image: Image.Image,
    region: Box | None = None,
    *,
    min_side: int = 1000,
    max_side: int = 2000,
    border: int = 20,
    suppress_colour: bool = True,
    even_background: bool = True,
    white_point: float = 0.9,
    autocontrast_cutoff: float = 1.0,
) -> Prepared:
    """The image Tesseract is given: the region (default all) of ``image``,
    grayscale, resized by the scale chosen for the whole page (so a region
    reads exactly as it would within the page), shading evened out, contrast
    stretched, with a white border."""
    box = clamp_region(region, image.size)
    crop = image if box == (0, 0, *image.size) else image.crop(box)
    gray = _ink_gray(_flatten(crop), suppress_colour)
    scale = page_scale(image.size, min_side, max_side)
    if scale != 1.0:
        w, h = gray.size
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        gray = gray.resize(size, Image.LANCZOS if scale < 1 else Image.BICUBIC)
    if even_background:
        page_long_side = max(image.size) * scale
        gray = _even_background(gray, white_point, max(1, round(page_long_side / 300)))
    gray = ImageOps.autocontrast(gray, cutoff=autocontrast_cutoff)
    if border:
        gray = ImageOps.expand(gray, border=border, fill=255)
    return Prepared(gray, scale, border, (box[0], box[1]))


def clamp_region(region: Box | None, size: tuple[int, int]) -> Box:
    """``region`` (default: the whole image) clipped to an image of ``size``;
    ValueError when nothing of it is inside."""
    w, h = size
    if region is None:
        return (0, 0, w, h)
    left, top, right, bottom = (round(v) for v in region)
    left, right = max(0, min(left, w)), max(0, min(right, w))
    top, bottom = max(0, min(top, h)), max(0, min(bottom, h))
    if right <= left or bottom <= top:
        raise ValueError(f"region {region} is empty inside an image of size {size}")
    return (left, top, right, bottom)
