"""The Chinese catalogues are complete: every string of the product and of viewflow's pages
has a translation, none is fuzzy, and each compiles (msgfmt --check also compares the
%(name)s placeholders of every translation with its original)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
    ROOT / "locale_vendor/zh_Hans/LC_MESSAGES/django.po",
]

pytestmark = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="gettext is not installed (make installs it)"
)


def entries(po: Path, flag: str) -> list[str]:
    out = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    # msgattrib prints the header entry (empty msgid) along with the entries it selects.
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_string_waits_for_a_translator(po):
    assert entries(po, "--untranslated") == []
    assert entries(po, "--only-fuzzy") == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_translation_keeps_its_placeholders(po):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# The code makemessages reads: every top-level directory but these.
NOT_CODE = {".git", ".venv", ".tools", "var", "tests", "locale", "locale_vendor", "bench", "docs"}


def test_the_catalogue_knows_every_string_of_the_code(tmp_path):
    """``make messages`` would add nothing: every translatable string of the code is in the
    catalogue. makemessages runs in a scratch folder of links to the code, with a copy of the
    catalogue, so the real one is never touched."""
    for entry in ROOT.iterdir():
        if entry.is_dir() and entry.name not in NOT_CODE and not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry)
    scratch = tmp_path / "locale/zh_Hans/LC_MESSAGES"
    scratch.mkdir(parents=True)
    shutil.copy(CATALOGUES[0], scratch / "django.po")
    subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "-c",
            "import os, sys, django; sys.path.insert(0, os.getcwd());"
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.test'; django.setup();"
            "from django.conf import settings; settings.LOCALE_PATHS = [];"
            "from django.core.management import call_command;"
            "call_command('makemessages', locale=['zh_Hans'], symlinks=True, verbosity=0)",
        ],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "CUNPIN_VAR_DIR": str(tmp_path / "var")},
    )
    assert entries(scratch / "django.po", "--untranslated") == []
