"""Local development: debug on, a fixed insecure key unless one is given."""

import importlib.util

from .base import *
from .base import env_bool, env_list, os

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the app folders; nothing to collect outside production.
STATIC_ROOT = None  # type: ignore[assignment]  # base sets a Path for production
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# django-debug-toolbar (requirements-dev.txt) in development only, and only when asked for with
# DEBUG_TOOLBAR=1: on `make run` its panel would cover the pages a new user is trying out.
if os.environ.get("DEBUG_TOOLBAR") == "1" and importlib.util.find_spec("debug_toolbar") is not None:
    INSTALLED_APPS = [*INSTALLED_APPS, "debug_toolbar"]
    MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]
    INTERNAL_IPS = ["127.0.0.1", "::1"]
