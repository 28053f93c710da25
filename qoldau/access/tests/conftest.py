from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    # Photos and export files written by a test never land in the working folder's var/.
    settings.MEDIA_ROOT = tmp_path / "media"
