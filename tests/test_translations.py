"""Spanish is complete: `make test` fails when a translatable string has no Spanish translation
or the catalogue is out of date with the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["jcr", "outreach", "prosecution", "govrelations", "integrity", "templates", "locale", "manage.py"]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """The Spanish catalogue as makemessages would write it from the code as it is now,
    merged into the committed translations (in a copy: the tree is not touched)."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed (apt-get install gettext); `make test` installs it.")
    work = tmp_path_factory.mktemp("i18n")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(src, work / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "es", "--no-obsolete", "--no-location"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(work / "locale/es/LC_MESSAGES/django.po"))


def test_translations_every_string_has_spanish(fresh_catalogue):
    missing = [e.msgid for e in fresh_catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in fresh_catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings have no Spanish translation (run `make messages`):\n" + "\n".join(
        missing[:40]
    )
    assert not fuzzy, f"{len(fuzzy)} Spanish translations are marked fuzzy:\n" + "\n".join(fuzzy[:40])


def test_translations_placeholders_match(fresh_catalogue):
    """A translation must keep every %(name)s / {{ name }} placeholder of its source."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    wrong = []
    for entry in fresh_catalogue.translated_entries():
        expected = sorted(pattern.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if any(sorted(pattern.findall(text)) != expected for text in translations):
            wrong.append(entry.msgid)
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)
