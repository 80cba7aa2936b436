"""Pixel formats: any mode Pillow decodes to plain 8-bit RGB, colour profiles to sRGB."""
from __future__ import annotations

import io

from PIL import Image, ImageCms

_SRGB = ImageCms.createProfile("sRGB")


def has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        im.mode in ("P", "L", "RGB", "1") and "transparency" in im.info)


def normalize_mode(im: Image.Image) -> Image.Image:
    """RGB or RGBA, whatever the input mode (may return im itself)."""
    if im.mode in ("RGB", "RGBA") and not (im.mode == "RGB" and "transparency" in im.info):
        return im
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N") or (im.mode == "I" and im.getextrema()[1] > 255):
        # 16-bit greyscale (some scanners): scale to 8 bits instead of clipping.
        return im.point(lambda v: v / 256).convert("L").convert("RGB")
    if im.mode == "CMYK" and im.info.get("icc_profile"):
        try:
            out = ImageCms.profileToProfile(
                im, ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"])),
                _SRGB, outputMode="RGB")
            out.info.pop("icc_profile", None)
            return out
        except Exception:  # noqa: BLE001, S110 - a broken profile: convert naively below
            pass
    return im.convert("RGBA" if has_alpha(im) else "RGB")


def flatten_to_rgb(im: Image.Image) -> Image.Image:
    """RGB, with any transparency flattened onto white (an ICC profile is kept)."""
    im = normalize_mode(im)
    if im.mode == "RGBA":
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(im, mask=im.getchannel("A"))
        background.info = {k: v for k, v in im.info.items() if k == "icc_profile"}
        return background
    return im


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert from an embedded RGB colour profile (e.g. an iPhone's Display
    P3) to sRGB, so colours stay right once the profile is dropped."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode != "RGB":
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != "RGB":
            return im
        return ImageCms.profileToProfile(im, profile, _SRGB, outputMode="RGB")
    except Exception:  # noqa: BLE001 - a broken profile: keep the pixels
        return im
