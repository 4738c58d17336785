import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def run_manage(*args, env_overrides: dict[str, str | None]):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-9f8e7d",
            "ALLOWED_HOSTS": "quotes.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", env_overrides={"SECRET_KEY": None, "ALLOWED_HOSTS": "quotes.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env_overrides={"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": None})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list at least one host" in result.stderr


def test_database_url_selects_the_database(monkeypatch):
    import dj_database_url

    assert dj_database_url.parse("postgres://u@127.0.0.1:5432/q")["ENGINE"] == "django.db.backends.postgresql"
    if "DATABASE_URL" not in os.environ:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_production_starts_sentry_from_the_environment():
    code = "import sentry_sdk; from django.conf import settings; print(settings.SENTRY_DSN, sentry_sdk.get_client().is_active())"
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={
            "SECRET_KEY": "s" * 50,
            "ALLOWED_HOSTS": "quotes.example.org",
            "SENTRY_DSN": "https://key@sentry.example.org/1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["https://key@sentry.example.org/1", "True"]
    quiet = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "quotes.example.org", "SENTRY_DSN": None},
    )
    assert quiet.stdout.strip().splitlines()[-1].split() == ["False"], quiet.stderr


@pytest.mark.parametrize(("asked", "installed"), [("1", "True"), (None, "False")])
def test_debug_toolbar_is_in_dev_only_and_only_when_asked_for(asked, installed):
    assert "debug_toolbar" not in settings.INSTALLED_APPS  # the test settings
    code = "from django.conf import settings; print('debug_toolbar' in settings.INSTALLED_APPS)"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG_TOOLBAR"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    if asked:
        env["DEBUG_TOOLBAR"] = asked
    dev = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dev.stdout.strip().splitlines()[-1] == installed, dev.stderr
