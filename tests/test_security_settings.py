"""Production settings: no demo app and no demo county, a deployment check for the shared
cache, a working-day session, upload limits that fit the largest registration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from organisation.models import County
from recruitment.services.applications import PHOTO_MAX_BYTES, SCAN_MAX_BYTES, SCANS_MAX

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-only-9f8e7d6c5b4a",
    "DJANGO_ALLOWED_HOSTS": "cunpin.example.cn",
}


def run_manage(*args: str, pythonpath: Path | None = None, **env: str):
    environment = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    environment.update(env)
    if pythonpath is not None:
        environment["PYTHONPATH"] = f"{pythonpath}{os.pathsep}{ROOT}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_does_not_install_the_demo_app(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print('demo' in settings.INSTALLED_APPS)",
        CUNPIN_VAR_DIR=str(tmp_path),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    result = run_manage("load_demo", CUNPIN_VAR_DIR=str(tmp_path), **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Unknown command: 'load_demo'" in result.stderr


def test_load_demo_refuses_production_settings_even_with_the_demo_app(tmp_path):
    """A settings module that adds the demo app back to production still cannot load it."""
    (tmp_path / "demo_in_production.py").write_text(
        "from config.settings.production import *  # noqa\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'demo']\n"
    )
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "demo_in_production"}
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrate = run_manage(
        "migrate",
        "-v0",
        pythonpath=tmp_path,
        CUNPIN_VAR_DIR=str(tmp_path),
        DATABASE_URL=database,
        **env,
    )
    assert migrate.returncode == 0, migrate.stderr
    result = run_manage(
        "load_demo",
        pythonpath=tmp_path,
        CUNPIN_VAR_DIR=str(tmp_path),
        DATABASE_URL=database,
        **env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "production" in result.stderr or "生产" in result.stderr
    assert "Demo" not in result.stdout and "演示县" not in result.stdout


@pytest.mark.django_db
def test_load_demo_refuses_when_the_settings_say_production(settings):
    settings.CUNPIN_PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not County.objects.exists()


def test_check_deploy_warns_without_a_shared_cache(tmp_path):
    result = run_manage("check", "--deploy", CUNPIN_VAR_DIR=str(tmp_path), **PRODUCTION_ENV)
    assert "cunpin.W001" in result.stderr + result.stdout
    assert "REDIS_URL" in result.stderr + result.stdout


def test_the_request_limit_fits_the_largest_registration():
    """The largest request is a registration with the photo and every scan at their limits;
    the limit the README tells the proxy to allow must let it through, with room for the
    form's text and the multipart boundaries."""
    files = PHOTO_MAX_BYTES + SCANS_MAX * SCAN_MAX_BYTES
    allowed = settings.CUNPIN_MAX_REQUEST_MB * 1024 * 1024
    assert files < allowed <= files + 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES >= SCANS_MAX + 1
    readme = (ROOT / "README.md").read_text()
    assert f"client_max_body_size {settings.CUNPIN_MAX_REQUEST_MB}m" in readme
