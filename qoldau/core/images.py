"""Uploaded images, checked from their header before anything decodes them.

Pillow's `Image.open` reads only the header: the format (only the formats allowed are
tried) and the declared width and height. An image of more pixels than
QOLDAU_UPLOAD_MAX_PIXELS is refused there, since decoding it (a thumbnail, a browser
showing it) takes memory by the pixel, whatever the file's size: a PNG of a few hundred
bytes can declare 20,000 × 20,000. `limit_pillow` makes the same limit Pillow's own for
every other use in the process (`DecompressionBombError` past twice the limit, and the
warning past it an error).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from qoldau.core.errors import CoreErrorCode, ValidationFailed

PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")


def max_pixels() -> int:
    return int(settings.QOLDAU_UPLOAD_MAX_PIXELS)


def limit_pillow() -> None:
    """Pillow refuses images past the setting everywhere in the process."""
    Image.MAX_IMAGE_PIXELS = max_pixels()
    warnings.simplefilter("error", Image.DecompressionBombWarning)


class NotAnImage(ValidationFailed):
    code = CoreErrorCode.NOT_AN_IMAGE


def too_many_pixels(field: str) -> ValidationFailed:
    return ValidationFailed(
        _("The image is larger than %(limit)s megapixels; send a smaller one."),
        field=field,
        code=CoreErrorCode.IMAGE_TOO_MANY_PIXELS,
        params={"limit": max_pixels() // 1_000_000},
    )


def image_check(upload: IO[bytes], *, field: str, formats: Sequence[str] = PHOTO_FORMATS) -> str:
    """The format of an uploaded image, after checking from its header that it is one of
    `formats` and has at most QOLDAU_UPLOAD_MAX_PIXELS pixels, and that its data is whole
    (`verify`, which does not decode). Raises NotAnImage or the pixels' ValidationFailed;
    the upload is left at its start."""
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(formats)) as image:
            width, height = image.size
            if width * height > max_pixels():
                raise too_many_pixels(field)
            image_format = str(image.format)
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise NotAnImage(
            _("The file is not an image in one of these formats: %(formats)s."),
            field=field,
            params={"formats": ", ".join(formats)},
        ) from None
    finally:
        upload.seek(0)
    return image_format
