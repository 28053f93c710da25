"""Every environment variable the settings read is listed in .env.example and the README."""

import re
from pathlib import Path

from django.conf import settings


def test_every_setting_variable_is_documented():
    source = Path(settings.BASE_DIR, "qoldau", "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:environ(?:\.get)?\(|environ\[|env_bool\(|env_list\()"([A-Z_]+)"', source))
    assert {"DATABASE_URL", "QOLDAU_DATA_KEYS", "QOLDAU_HASH_KEY"} <= names
    example = Path(settings.BASE_DIR, ".env.example").read_text(encoding="utf-8")
    readme = Path(settings.BASE_DIR, "README.md").read_text(encoding="utf-8")
    assert sorted(n for n in names if n not in example) == []
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
