"""Ascent settings: one module, driven by environment variables.

Development defaults run with nothing installed but Python: an SQLite file and kombu's file-system
broker under .data/. Production sets DEBUG=0 and supplies SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
CELERY_BROKER_URL; with DEBUG off every secure-cookie, HSTS and SSL setting is on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ASCENT_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in e-mails sent without a request (reminders, from the Celery worker) start with SITE_URL. `make run`
# exports it for the port it serves on; otherwise it is the development server's address on $PORT.
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Ascent")

INSTALLED_APPS = [
    "accounts.apps.RateLimitedAdminConfig",  # django.contrib.admin, its sign-in rate limited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "roadmap",
    "learning",
    "quizzes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.nul_characters.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous visitors, replayed from the cache: a hit skips everything below.
    "caching.anonymous_pages.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a learner's write has committed: their cached pages are stale (caching/learner_pages.py).
    "caching.learner_pages.LearnerWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.content_security.SiteCSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "quizzes.due_badge.review_menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ascent.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that polls the socket instead of a `SELECT 1` per request.
    DATABASES["default"]["ENGINE"] = "config.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, loading a session's learner without the ORM's per-request compiling.
AUTHENTICATION_BACKENDS = [
    "accounts.authentication.ModelBackend",
    "accounts.authentication.AllauthBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify, and are upgraded to Argon2 at the next sign-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "roadmap:dashboard"

# django-allauth: sign in by e-mail, no username; verification is mandatory in production.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# allauth's defaults, spelled out: failed logins, sign-ups and password resets are throttled (by the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# How many proxies of ours stand in front of the app, each appending the address it saw to X-Forwarded-For
# (docker-compose.yml's TLS proxy: 1). Per-address limits then count the address the last of them saw; with 0
# they count the socket's address and ignore the header, which a client can fill with anything.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache layers left out (caching/__init__.py names them): a comma-separated list of anonymous_pages, learner_pages
# and fragments. Benchmarks measure what each layer pays with it; an operator can rule one out.
CACHE_LAYERS_OFF = frozenset(env_list("CACHE_LAYERS_OFF"))

# Redis in production; a file cache under .data/ by default, shared by every local process (the web
# server and `load_content` run in different processes and must agree on what is stale).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis that degrades to no cache while it is down, hung or loading (see caching/redis_backend.py):
            # pages, quizzes, reviews and rate-limited views keep working without it.
            "BACKEND": "caching.redis_backend.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ascent",
            # Fail fast (Redis answers in well under a millisecond on the same network), then leave it
            # alone for retry_after seconds before trying again.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "retry_after": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Sessions are read from the cache (a Redis GET instead of a PostgreSQL query on every signed-in request)
# and written through to the database, so a Redis that restarts empty signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# E-mail: the console backend locally; SMTP (or any backend) in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ascent <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening: on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp), in development too so a violation shows up before production:
# every script and style is a file of our own, so no 'unsafe-inline' and no nonces (nonces would also
# make cached pages unusable). Images may be data: URIs (Swagger UI's icons).
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

REST_FRAMEWORK = {
    # Token first: an anonymous API call then gets 401 with a WWW-Authenticate header, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser, refusing bodies nested past any of ours (a RecursionError otherwise).
    "DEFAULT_PARSER_CLASSES": ["config.json_parsing.DepthLimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.DocumentedErrorsSchema",
    # Views opt in with throttle_scope (config/rate_limits.py); the HTML forms count against the same scopes.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "quiz-start": os.environ.get("THROTTLE_QUIZ_START", "30/hour"),
        "token-create": os.environ.get("THROTTLE_TOKEN_CREATE", "10/hour"),
    },
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Ascent API",
    "DESCRIPTION": "Machine-learning roadmaps, topics and resources; progress, quizzes and reviews for learners.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProgressStatusEnum": "learning.models.ProgressStatus",
        "AttemptStatusEnum": ["open", "submitted", "expired"],
    },
    # Swagger UI served from our own static files: no CDN, and it works offline and under a strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: Redis in production; kombu's file-system transport by default so `make run` needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = DATA_DIR / "broker" / "queue"
    _processed_dir = DATA_DIR / "broker" / "processed"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
    }
else:
    # A task taken by a worker that then dies (SIGKILL, OOM, host lost) stays unacknowledged in Redis and is
    # delivered again after this many seconds. It must exceed the longest retry countdown (8 min) plus the
    # longest chunk, or a second worker would start the same chunk while the first still sends it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
    if CELERY_BROKER_URL.split("://", 1)[0] in ("redis", "rediss"):
        # kombu's Redis transport with a fix for a worker that loses Redis mid-task (config/redis_broker.py).
        CELERY_BROKER_TRANSPORT = "config.redis_broker:Transport"
CELERY_TASK_ACKS_LATE = True
# A pool process killed mid-task (OOM killer, SIGKILL): put its message back at once instead of acknowledging
# it as failed, so the chunk's unsent reminders go out (its claims would otherwise hold them all day).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker started while Redis is down waits for it instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task unless this is set. With it, a
# worker keeps its connection across tasks as Django keeps one across requests, under the same CONN_MAX_AGE and
# health checks (config/celery.py), and a reminder chunk no longer pays for a new PostgreSQL backend. The fixup
# still closes it after twice this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reminders-fan-out": {
        "task": "quizzes.tasks.fan_out_reminders",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},  # a fan-out that waited longer than its period is superseded
    },
    # Daily, for the learners whose last fit is a week old: each learner is refitted weekly, spread over days.
    "fit-scheduler-parameters": {
        "task": "quizzes.tasks.fit_due_parameters",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 23 * 60 * 60},
    },
}

# Logs: one JSON object per line in production (LOG_FORMAT=json, the default when DEBUG is off), so a log
# collector can filter on fields; readable lines in development.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Errors go to Sentry when SENTRY_DSN is set (web and Celery alike); nothing is sent otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        integrations=[DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=True)],
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # learners' e-mail addresses stay out of error reports
    )
CONTENT_DIR = Path(os.environ.get("ASCENT_CONTENT_DIR", BASE_DIR / "content"))
FSRS_ENABLE_FUZZING = env_bool("FSRS_ENABLE_FUZZING", True)
