"""Settings come from the environment; production passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-only-9f8e7d6c5b4a",
        DJANGO_ALLOWED_HOSTS="cunpin.example.cn",
        CUNPIN_VAR_DIR=str(tmp_path),
        REDIS_URL="redis://127.0.0.1:6379/0",
        CUNPIN_PUBLIC_BASE_URL="https://cunpin.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "base_url", ["", "http://cunpin.example.cn", "https://127.0.0.1:8000", "cunpin.example.cn"]
)
def test_check_deploy_fails_without_a_public_https_address_for_documents(tmp_path, base_url):
    result = run_manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-only-9f8e7d6c5b4a",
        DJANGO_ALLOWED_HOSTS="cunpin.example.cn",
        CUNPIN_VAR_DIR=str(tmp_path),
        REDIS_URL="redis://127.0.0.1:6379/0",
        CUNPIN_PUBLIC_BASE_URL=base_url,
    )
    assert result.returncode != 0
    assert "paperwork.E004" in result.stdout + result.stderr


def test_development_secret_key_is_generated_once_into_the_var_dir(tmp_path):
    env = {"CUNPIN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "--no-imports", "-c", code, **env)
    second = run_manage("shell", "--no-imports", "-c", code, **env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first.stdout.strip()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        CUNPIN_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
