"""Settings shared by every environment. Environment-specific modules import from here."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "axes",  # login throttling: failed logins per account and per address (AXES_* below)
    "django_tasks",
    "django_tasks_db",  # the task framework's database backend: the queue is a table (jobs/, docs/jobs.md)
    "ninja",  # its templates and static files: the docs page serves swagger-ui from here, no CDN
    "accounts",
    "corpus",
    "annotations",
    "clusters",
    "jobs",
    "review",
    "exports",
    "research",
    "releases",
    "ingest",
    "suggestions",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.middleware.InputGuardMiddleware",  # after the login and CSRF checks (it works in process_view)
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address before the password check
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username, or from one
# address, further tries are refused for AXES_COOLOFF_TIME hours; an admin unlocks earlier by deleting
# the account's "Access attempts" in the admin (or `manage.py axes_reset_username USERNAME`).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

# Content-Security-Policy (django-csp) on every response, the admin and the API docs included: scripts
# only from this site's static files (no inline script, no eval), nothing framed, no plugins. Styles
# allow inline ``style=`` attributes, which a few bar charts use for their widths.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# Interface strings are marked for translation ({% translate %}, gettext, and gettext in the scripts through
# /jsi18n/); English is the only catalogue for now (`manage.py makemessages -l en -d django|djangojs`).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}

# Uploaded and built files (article imports that run as background jobs keep their upload here until
# done; corpus releases, releases.models.release_storage) go through the storage
# API: STORAGES["default"] (the file system under MEDIA_ROOT), or a "releases" entry of STORAGES when
# one is set (an S3-compatible bucket through django-storages: docs/releases.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Corpus releases (releases/): the publisher named in CITATION.cff and the DataCite metadata, and the
# version of the annotation guidelines the datasheet states.
RELEASE_PUBLISHER = os.environ.get("RELEASE_PUBLISHER", "Quote corpus project")
ANNOTATION_GUIDELINES_VERSION = os.environ.get("ANNOTATION_GUIDELINES_VERSION", "1.0")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TAGGIT_CASE_INSENSITIVE = True

# Uploads: article imports are read in memory up to this size and refused above it.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Background jobs (jobs/, docs/jobs.md): Django's task framework through django-tasks, with the database
# as the queue, so a worker (`manage.py jobs_worker`) needs no other service. Progress and the heartbeat
# of a running job are written every JOBS_PROGRESS_SECONDS; a running job whose heartbeat is older than
# JOBS_STALE_SECONDS and whose worker is gone is marked failed (by every worker each JOBS_REAP_SECONDS,
# by `manage.py jobs_reap`, and when its page is read).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_PROGRESS_SECONDS = float(os.environ.get("JOBS_PROGRESS_SECONDS", "1"))
JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", "60"))
JOBS_REAP_SECONDS = float(os.environ.get("JOBS_REAP_SECONDS", "15"))
# Finished jobs older than this are deleted by `manage.py jobs_prune` (run it from cron); the latest of each
# kind is kept.
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "90"))
# Article imports over this size (all the files of one submission together) run as a background job.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(1024 * 1024)))
# Most articles one "suggest quotes for these articles" job covers.
SUGGEST_JOB_MAX_ARTICLES = int(os.environ.get("SUGGEST_JOB_MAX_ARTICLES", "100000"))

# Limits on one annotation (the services refuse more, with a message).
QUOTE_MAX_SPANS = int(os.environ.get("QUOTE_MAX_SPANS", "20"))
TAGS_MAX_PER_OBJECT = int(os.environ.get("TAGS_MAX_PER_OBJECT", "50"))
# Limits on one request: stances sent with a quote, quotes in one bulk review.
STANCES_MAX_PER_REQUEST = int(os.environ.get("STANCES_MAX_PER_REQUEST", "50"))
BULK_MAX_QUOTES = int(os.environ.get("BULK_MAX_QUOTES", "500"))

# Wikidata look-ups for speakers (corpus/wikidata.py). Off with WIKIDATA_ENABLED=0 (then the forms say so).
WIKIDATA_ENABLED = env_bool("WIKIDATA_ENABLED", True)
WIKIDATA_API_URL = os.environ.get("WIKIDATA_API_URL", "https://www.wikidata.org/w/api.php")
WIKIDATA_TIMEOUT = float(os.environ.get("WIKIDATA_TIMEOUT", "3"))
WIKIDATA_RETRIES = int(os.environ.get("WIKIDATA_RETRIES", "2"))
WIKIDATA_BACKOFF = float(os.environ.get("WIKIDATA_BACKOFF", "0.5"))
WIKIDATA_CACHE_SECONDS = int(os.environ.get("WIKIDATA_CACHE_SECONDS", str(24 * 3600)))
WIKIDATA_USER_AGENT = os.environ.get(
    "WIKIDATA_USER_AGENT", "QuoteCorpus/1.0 (news quote annotation; set WIKIDATA_USER_AGENT to your contact)"
)

# Personal API tokens (accounts.auth): requests per minute per token, counted in the cache; the JSON
# API's largest request body.
API_TOKEN_RATE_PER_MINUTE = int(os.environ.get("API_TOKEN_RATE_PER_MINUTE", "600"))
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
