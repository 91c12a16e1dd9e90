"""Settings for Cunpin, read from environment variables.

Defaults give the embedded set-up used by ``make run``: SQLite, files on local disk and
background work run in-process. ``config.settings.production`` tightens security for a
real deployment; ``config.settings.test`` speeds up the test suite.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CUNPIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    """Generate a key once into an ignored local file so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


# Production settings demand DJANGO_SECRET_KEY and never write a key file.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "" if os.environ.get("CUNPIN_PRODUCTION") else _development_secret_key()
)
DEBUG = env_bool("DJANGO_DEBUG", True)
# True only in config.settings.production: commands that must never touch a real county's
# data (load_demo) refuse to run there.
CUNPIN_PRODUCTION = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "accounts.apps_axes.AxesConfig",  # django-axes, named for the admin
    "viewflow",
    "viewflow.workflow",
    # The REST API (api/), its OpenAPI schema and the schema's page, whose Swagger UI files
    # are served from static files (the sidecar), never from a CDN.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "audit",
    "organisation",
    "policy",
    "people",
    "paperwork",
    "recruitment",
    "contracts",
    "jobs",
    "training",
    "agreements",
    "assessment",
    "inspections",
    "appraisal",
    "earlywarnings",
    "disclosure",
    "archive",
    "notifications",
    "workflows",
    "workdays",
    "api",
    "web",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.staff_site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cunpin.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout and immediate transactions keep concurrent writers from failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login of a locked-out username and address before a password is
    # checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords in a row for one
# username from one address, that combination is refused for AXES_COOLOFF_TIME, even with the
# right password; the count starts again after a successful login. Failures are counted in the
# database, so every worker and server shares them without Redis. An administrator unlocks
# early by deleting the row under admin → Axes → Access attempts (or `manage.py
# axes_reset_username USERNAME`).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out do not push the end of the lockout back, so the time the lockout
# page gives stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The client's address as the public pages' rate limits see it (CUNPIN_RATE_LIMIT_PROXIES).
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip_address"
# No banner on every manage.py command; lockouts are still logged (logger "axes").
AXES_VERBOSE = False

# A signed-in session lasts a working day from sign-in. (The public applicant pages keep
# their own session for 30 minutes: recruitment.public_views.)
SESSION_COOKIE_AGE = 9 * 60 * 60

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# locale/ is Cunpin's own catalogue (make messages); locale_vendor/ translates the strings of
# viewflow's Material frontend, which ships no Chinese.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CUNPIN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Files written with the transaction (core.files.save_on_commit).
    "default": {"BACKEND": "core.files.TransactionalFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads. The largest request is a public registration: a photo of at most 2 MB and five
# certificate scans of at most 5 MB each (27 MB) with the form's text; village and score
# imports are at most 5 MB. A reverse proxy in front must let CUNPIN_MAX_REQUEST_MB through
# (nginx: client_max_body_size 28m); the services check each file's own limit.
CUNPIN_MAX_REQUEST_MB = 28
# The form fields without the files (Django's default, 2.5 MB: far above any form here).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A registration carries at most six files.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Files above this are spooled to a temporary file instead of memory while a request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Rate limits of the public pages count in this cache: per process by default, shared
# between workers when REDIS_URL points at a Redis server (production; `check --deploy`
# warns without it).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Reverse proxies in front of the app (nginx: 1), so rate limits count the client's address.
CUNPIN_RATE_LIMIT_PROXIES = int(os.environ.get("CUNPIN_RATE_LIMIT_PROXIES", "0"))

# Where documents say they come from when the issuing office is not otherwise known.
CUNPIN_PUBLIC_BASE_URL = os.environ.get("CUNPIN_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Notification emails (notifications app; README, "Notifications"). Printed to the console
# by default (`make run` shows them in its terminal); EMAIL_BACKEND=smtp sends them through
# the mail server named by EMAIL_HOST and the rest. Sent after the transaction commits, by
# Celery when CELERY_BROKER_URL is set, else by the committing process; a failed server never
# fails the request, and `manage.py send_notification_emails` tries the failed ones again.
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
# "console", "smtp" or a backend's dotted path (the check notifications.E002 names a wrong one).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or "console"
EMAIL_BACKEND = EMAIL_BACKENDS.get(EMAIL_BACKEND, EMAIL_BACKEND)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "村聘 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs (jobs app; README, "Background work"). With CELERY_BROKER_URL set (Redis in
# production) Celery workers run them; without it the embedded worker (`manage.py run_jobs`,
# started by `make run`) polls the database. A job of at most JOBS_EAGER_MAX_ITEMS items
# (a small township's month) runs at once in the request that submits it; JOBS_EAGER runs
# every job so (the tests). A running job silent for JOBS_STALE_AFTER has lost its worker
# and may be retried.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# WeasyPrint's memory grows over many renders in one process: recycle the worker processes.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 20
CELERY_TIMEZONE = "Asia/Shanghai"
JOBS_EAGER = env_bool("CUNPIN_JOBS_EAGER", False)
JOBS_EAGER_MAX_ITEMS = int(os.environ.get("CUNPIN_JOBS_EAGER_MAX_ITEMS", "60"))
JOBS_STALE_AFTER = datetime.timedelta(minutes=10)
JOBS_POLL_SECONDS = 1.0
# The embedded worker lays a long batch of documents out in this many processes at once.
JOBS_RENDER_PROCESSES = int(
    os.environ.get("CUNPIN_JOBS_RENDER_PROCESSES", str(min(4, os.cpu_count() or 1)))
)
# The most rows one Excel export of a list may hold (web.exports); a larger list is refused
# with a message asking for narrower filters.
CUNPIN_EXPORT_MAX_ROWS = int(os.environ.get("CUNPIN_EXPORT_MAX_ROWS", "20000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint and fontTools are chatty at INFO.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # django-axes logs every sign-in at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}

# The REST API at /api/v1/ (api/; README, "API"). Signed in by a token (Authorization: Token
# …, issued by `manage.py api_token`) or by the site's session (with its CSRF check); the same
# permissions and scoping as the pages. Errors are in the interface language (Chinese).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials is answered 401 with
        # WWW-Authenticate: Token.
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON (the schema's); forms as the pages post them are read too.
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cunpin 村聘 API",
    "DESCRIPTION": _(
        "The REST API of the recruitment and management of village population directors: "
        "organisation, people, campaigns and applications, contracts, vacancies, training, "
        "monthly scores and documents, and the steps of contracts and vacancies, with the "
        "pages' permissions and scoping."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
