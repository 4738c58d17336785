"""Test runs: fast hashing, plain static storage, no debug."""

from pathlib import Path

from .base import *
from .base import os

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": os.environ.get("LOG_LEVEL", "WARNING")}}
# Static files straight from the app folders; nothing to collect outside production.
STATIC_ROOT = None  # type: ignore[assignment]  # base sets a Path for production
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests never reach the live Wikidata: off unless a test points it at its local fake server.
WIKIDATA_ENABLED = False
WIKIDATA_API_URL = "http://127.0.0.1:9/never"
WIKIDATA_BACKOFF = 0.0
# Login throttling is tested on its own (tests/accounts/test_login_throttling.py); elsewhere the test
# client's login() and force_login() run without a request for axes to look at.
AXES_ENABLED = False
# Uploads kept for background imports: a directory of the test run's own (a worker subprocess gets the same
# through MEDIA_ROOT in its environment).
MEDIA_ROOT = Path(
    os.environ.get("MEDIA_ROOT") or Path(os.environ.get("TMPDIR", "/tmp")) / f"quotes-test-media-{os.getpid()}"
)
# A job kind for tests only (tests/jobs/testkinds): the worker subprocesses of the job tests load it too.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.jobs.testkinds"]
# Job tests with a real worker: progress and heartbeats often, a dead worker's job reaped soon.
JOBS_PROGRESS_SECONDS = float(os.environ.get("JOBS_PROGRESS_SECONDS", "0.2"))
JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", "3"))
JOBS_REAP_SECONDS = float(os.environ.get("JOBS_REAP_SECONDS", "1"))
