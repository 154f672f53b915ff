"""Evidence files: the type is read from the content, never from the name; images are re-encoded so
no script, no EXIF (GPS position, camera owner) and no other metadata survives."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ApplicationError

IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("jpg", "image/jpeg")}
MAX_PIXELS = 40_000_000
_MARKUP = (b"<svg", b"<?xml", b"<!doctype", b"<html", b"<script", b"<body", b"<iframe")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    name: str
    content_type: str
    sha256: str
    is_image: bool


def evidence_file_clean(*, name: str, data: bytes) -> CleanFile:
    """Check an uploaded evidence file and return what may be stored: a JPEG or PNG re-encoded from its
    pixels, or a PDF as sent. Anything else, or a file over ``ESIPRO_BOOKLET_MAX_FILE_MB``, raises
    ``ApplicationError`` with a message saying what to send instead."""
    limit = settings.ESIPRO_BOOKLET_MAX_FILE_MB
    if len(data) > limit * 1024 * 1024:
        raise ApplicationError(
            _("Fichier « %(name)s » trop volumineux (%(size).1f Mo) : la limite est de %(limit)s Mo. Réduisez la "
              "photo ou numérisez le document en plus basse résolution.")
            % {"name": name, "size": len(data) / 1024 / 1024, "limit": limit})
    if not data:
        raise ApplicationError(_("Fichier « %(name)s » vide : choisissez une photo ou un PDF.") % {"name": name})
    stem = (name.rsplit(".", 1)[0] if "." in name else name)[:150] or "preuve"
    if data.startswith(b"%PDF-"):
        return CleanFile(data, f"{stem}.pdf", "application/pdf", hashlib.sha256(data).hexdigest(), False)
    head = data[:512].lstrip().lower()
    if any(marker in head for marker in _MARKUP):
        raise ApplicationError(
            _("« %(name)s » contient du SVG ou du HTML, quel que soit son nom : ces formats peuvent cacher du code "
              "et sont refusés. Envoyez une photo (JPEG, PNG) ou un PDF.") % {"name": name})
    content, extension, content_type = _reencode(name, data)
    return CleanFile(content, f"{stem}.{extension}", content_type, hashlib.sha256(content).hexdigest(), True)


def _reencode(name: str, data: bytes) -> tuple[bytes, str, str]:
    refused = ApplicationError(
        _("« %(name)s » n'est ni une photo (JPEG, PNG, WebP) ni un PDF, d'après son contenu : envoyez une photo "
          "ou un PDF.") % {"name": name})
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in IMAGE_FORMATS:
            raise refused
        if image.width * image.height > MAX_PIXELS:
            raise ApplicationError(
                _("Photo « %(name)s » trop grande (%(w)s × %(h)s pixels) : réduisez-la sous 40 millions de pixels.")
                % {"name": name, "w": image.width, "h": image.height})
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise refused from exc
    extension, content_type = IMAGE_FORMATS[image.format]
    upright = ImageOps.exif_transpose(image)
    # A fresh image from the pixels only: nothing of the original file (metadata, trailing bytes) is kept.
    mode = "RGBA" if extension == "png" and upright.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if extension == "png":
        clean.save(out, format="PNG", optimize=False)
    else:
        clean.save(out, format="JPEG", quality=85)
    return out.getvalue(), extension, content_type


_JPEG_END, _PNG_END = b"\xff\xd9", b"IEND\xaeB`\x82"


def evidence_file_keep_or_clean(*, name: str, data: bytes) -> CleanFile:
    """An imported evidence file: kept byte for byte when it is a PDF, or an image that is already clean
    (no metadata, nothing after its end marker — what ``evidence_file_clean`` writes), so its hash
    survives the round trip; re-encoded like an upload otherwise."""
    if data.startswith(b"%PDF-"):
        return evidence_file_clean(name=name, data=data)
    try:
        image = Image.open(io.BytesIO(data))
        fmt, info, exif = image.format, dict(image.info), image.getexif()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return evidence_file_clean(name=name, data=data)  # raises with the upload's message
    harmless = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression"}
    clean_end = (fmt == "JPEG" and data.endswith(_JPEG_END)) or (fmt == "PNG" and data.endswith(_PNG_END))
    if fmt in ("JPEG", "PNG") and clean_end and not exif and set(info) <= harmless and \
            image.width * image.height <= MAX_PIXELS and len(data) <= settings.ESIPRO_BOOKLET_MAX_FILE_MB * 1024 * 1024:
        extension, content_type = IMAGE_FORMATS[fmt]
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return CleanFile(data, f"{stem}.{extension}", content_type, hashlib.sha256(data).hexdigest(), True)
    return evidence_file_clean(name=name, data=data)
