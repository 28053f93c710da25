"""Uploaded images are checked from their header: the format among those allowed, and no
more pixels than QOLDAU_UPLOAD_MAX_PIXELS, before anything decodes them."""

import io
import warnings

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from qoldau.core.errors import ValidationFailed
from qoldau.core.images import NotAnImage, image_check, limit_pillow
from qoldau.core.tests.images import png_declaring


def upload(data, name="photo.png"):
    return SimpleUploadedFile(name, data, "image/png")


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (12_000, 12_000), (50_001, 1000)])
def test_an_image_declaring_more_pixels_than_allowed_is_refused_from_its_header(width, height):
    data = png_declaring(width, height)
    assert len(data) < 100
    with pytest.raises(ValidationFailed) as caught:
        image_check(upload(data), field="photo")
    assert (caught.value.code, caught.value.field) == ("image_too_many_pixels", "photo")
    assert caught.value.params == {"limit": 50}


def test_an_image_within_the_limit_passes_and_the_upload_is_left_at_its_start():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(out, format="PNG")
    file = upload(out.getvalue())
    assert image_check(file, field="photo") == "PNG"
    assert file.tell() == 0
    # A header within the limit is not decoded: a 7,000 × 7,000 header is 49 megapixels.
    assert image_check(upload(png_declaring(7000, 7000)), field="photo") == "PNG"


def test_the_limit_follows_the_setting(settings):
    settings.QOLDAU_UPLOAD_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationFailed) as refused:
        image_check(upload(png_declaring(1001, 1000)), field="photo")
    with translation.override("en"):
        assert "megapixels" in refused.value.render()
    assert image_check(upload(png_declaring(1000, 1000)), field="photo") == "PNG"


def test_formats_not_allowed_are_not_even_opened():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(NotAnImage):
        image_check(upload(out.getvalue(), "photo.gif"), field="photo")
    with pytest.raises(NotAnImage):
        image_check(upload(png_declaring(10, 10)), field="photo", formats=("JPEG",))
    with pytest.raises(NotAnImage):
        image_check(upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), field="photo")


def test_pillow_refuses_past_the_setting_everywhere_in_the_process():
    assert Image.MAX_IMAGE_PIXELS == 50_000_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_declaring(12_000, 12_000)))
    # Past the limit Pillow only warns; the start-up makes that warning an error (pytest
    # restores the filters it found, so the start-up is repeated here).
    with warnings.catch_warnings():
        limit_pillow()
        with pytest.raises(Image.DecompressionBombWarning):
            Image.open(io.BytesIO(png_declaring(8000, 7500)))
