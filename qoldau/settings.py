"""Qoldau settings, read from environment variables.

Every variable is listed with its default in `.env.example`. The defaults are the
embedded mode: SQLite and generated key files under `var/`, no broker, one machine.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets model fields be written with their generic parameters (django-stubs).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QOLDAU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _embedded_secret(filename: str) -> str:
    """A secret generated once into var/ for the embedded mode; never committed."""
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("QOLDAU_DEBUG", False)
SECRET_KEY = os.environ.get("QOLDAU_SECRET_KEY") or _embedded_secret("secret_key")
ALLOWED_HOSTS = env_list("QOLDAU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("QOLDAU_CSRF_TRUSTED_ORIGINS")
# The site's public address, for links sent outside a web page (the bot's vacancies).
QOLDAU_SITE_URL = os.environ.get("QOLDAU_SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    # The API docs' Swagger UI from ninja's static files (not from its CDN).
    "ninja",
    "qoldau.core",
    "qoldau.projects",
    "qoldau.imports",
    "qoldau.dashboard",
    "qoldau.consult",
    "qoldau.access",
    "qoldau.contests",
    "qoldau.jobs",
    "qoldau.services",
    "qoldau.interpreting",
    "qoldau.portal",
    "qoldau.bot",
    "qoldau.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qoldau.core.middleware.LanguageMiddleware",
    "qoldau.core.middleware.ForbiddenCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qoldau.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qoldau.urls"
WSGI_APPLICATION = "qoldau.wsgi.application"
ASGI_APPLICATION = "qoldau.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qoldau" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qoldau.core.context_processors.navigation",
                "qoldau.consult.context_processors.consultations_waiting",
            ],
            "builtins": ["qoldau.core.templatetags.qoldau"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qoldau.sqlite3'}"),
        conn_max_age=int(os.environ.get("QOLDAU_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the pages read while an import writes; a busy timeout instead of
    # "database is locked" errors under the embedded server's few workers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # The embedded mode keeps the database, the keys and the uploads in var/: the
    # operator's alone (core.database_files makes the database's files 0600).
    # A var/ someone else owns is theirs to protect.
    with contextlib.suppress(PermissionError):
        VAR_DIR.chmod(0o700)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache also carries background jobs' progress between the worker and the web
# processes, so the embedded default is a folder every process shares.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["QOLDAU_REDIS_URL"],
        }
        if os.environ.get("QOLDAU_REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Citizens sign in with their phone number (`CitizenAccount`).
    "qoldau.core.backends.CitizenPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "core:login"

# Login lockout (django-axes): after this many failures for one username from one
# address the account is locked for the cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("QOLDAU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("QOLDAU_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address behind the trusted proxies (not the proxy's own, which every client would
# share), so that failures from one address never lock the same username elsewhere.
AXES_CLIENT_IP_CALLABLE = "qoldau.core.addresses.client_network"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("QOLDAU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("QOLDAU_BEHIND_PROXY", False) else None
)
# How many proxies (nginx, a load balancer) stand before the web processes and append the
# address they saw to X-Forwarded-For. 0: the header is ignored and the connection's own
# address counts; N: the N-th address from the right is the client's (the entries left of
# it are whatever the client sent, and are never trusted).
QOLDAU_TRUSTED_PROXY_COUNT = int(os.environ.get("QOLDAU_TRUSTED_PROXY_COUNT", "0"))
# HTTPS only: redirect plain HTTP and tell browsers to stay on HTTPS (0 = off, the
# embedded default on 127.0.0.1).
SECURE_SSL_REDIRECT = env_bool("QOLDAU_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("QOLDAU_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Languages: Kazakh first, Russian and English beside it.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "qoldau_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Kazakh number formats (Django has no grouping for kk).
FORMAT_MODULE_PATH = ["qoldau.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Built front-end libraries (`make assets`); absent before the first build.
STATICFILES_DIRS = [p for p in [BASE_DIR / "static"] if p.exists()]
STATIC_ROOT = Path(os.environ.get("QOLDAU_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("QOLDAU_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Personal data at rest. QOLDAU_DATA_KEYS: comma-separated Fernet keys, newest first
# (older ones still decrypt, for rotation). QOLDAU_HASH_KEY: the key of the IIN's
# keyed hash. Unset, both come from a key file generated once in var/.
QOLDAU_DATA_KEYS = env_list("QOLDAU_DATA_KEYS")
QOLDAU_HASH_KEY = os.environ.get("QOLDAU_HASH_KEY", "")
QOLDAU_KEY_FILE = Path(os.environ.get("QOLDAU_KEY_FILE", VAR_DIR / "keys.json"))


EMAIL_BACKEND = os.environ.get("QOLDAU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("QOLDAU_EMAIL_FROM", "Qoldau <noreply@qoldau.localhost>")
EMAIL_HOST = os.environ.get("QOLDAU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("QOLDAU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("QOLDAU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("QOLDAU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("QOLDAU_EMAIL_TLS", False)

# Contests and grants. A member's score of an application is flagged as an outlier when
# it is this many points (of 100) from the other members' median; documents are limited
# to this size; grantees are reminded of a report this many days before it is due.
QOLDAU_CONTEST_OUTLIER_POINTS = float(os.environ.get("QOLDAU_CONTEST_OUTLIER_POINTS", "25"))
QOLDAU_CONTEST_DOCUMENT_MAX_MB = int(os.environ.get("QOLDAU_CONTEST_DOCUMENT_MAX_MB", "10"))
QOLDAU_GRANT_REPORT_REMINDER_DAYS = int(os.environ.get("QOLDAU_GRANT_REPORT_REMINDER_DAYS", "7"))

# Employment (the jobs app). The most open cases a job coach carries (IPS fidelity: 20 or
# fewer). How a quota's share of a headcount becomes whole jobs (2 % of 73 is 1.46): "down"
# (1), "nearest" (1; halves up) or "up" (2). The law's rule is not confirmed by a source.
QOLDAU_JOB_COACH_CASELOAD = int(os.environ.get("QOLDAU_JOB_COACH_CASELOAD", "20"))
# A coach is reminded of a retention follow-up this many days before it is due, and again
# every so many days while it is overdue.
QOLDAU_JOB_FOLLOW_UP_REMINDER_DAYS = int(os.environ.get("QOLDAU_JOB_FOLLOW_UP_REMINDER_DAYS", "7"))
QOLDAU_JOBS_QUOTA_ROUNDING = os.environ.get("QOLDAU_JOBS_QUOTA_ROUNDING", "down")
# Social services: a provider's administrators are told this many days before one of its
# permits expires (once per permit and end date).
QOLDAU_SERVICES_PERMIT_REMINDER_DAYS = int(os.environ.get("QOLDAU_SERVICES_PERMIT_REMINDER_DAYS", "30"))
if QOLDAU_JOBS_QUOTA_ROUNDING not in {"down", "nearest", "up"}:
    raise ImproperlyConfigured('QOLDAU_JOBS_QUOTA_ROUNDING is one of "down", "nearest" or "up".')

# Social services (the services app). A referral is answered within this many working days
# (Monday to Friday) of being sent, else the provider's administrators are told and the
# akimat sees it (findhelp's practice: 2 business days). A person who lets an offered place
# lapse is set aside for this many days before the list offers them a place again.
QOLDAU_SERVICES_REFERRAL_ANSWER_DAYS = max(
    1, int(os.environ.get("QOLDAU_SERVICES_REFERRAL_ANSWER_DAYS", "2"))
)
QOLDAU_SERVICES_OFFER_LAPSE_PARK_DAYS = max(
    1, int(os.environ.get("QOLDAU_SERVICES_OFFER_LAPSE_PARK_DAYS", "14"))
)

# Consultations. A hand-off that no organisation's coverage matches goes to the organisation
# with this BIN (empty: the first organisation with a consultant). The chat tells a person
# the typical wait (the median time to first reply over 30 days) once at least this many
# hand-offs were answered; before that, the promise below in hours, if one is configured
# (0: it says that there are too few answered requests to tell).
QOLDAU_CONSULT_FALLBACK_ORGANISATION = os.environ.get("QOLDAU_CONSULT_FALLBACK_ORGANISATION", "")
QOLDAU_CONSULT_WAIT_MIN_SAMPLES = max(1, int(os.environ.get("QOLDAU_CONSULT_WAIT_MIN_SAMPLES", "5")))
QOLDAU_CONSULT_PROMISED_HOURS = max(0, int(os.environ.get("QOLDAU_CONSULT_PROMISED_HOURS", "0")))

# Sign-language interpreting (the interpreting app). The free hours a year of a person whose
# ИПАР names none (60 under the older rules; the 2023 rule is unverified); how long a call
# is offered to one interpreter before it goes to the next; how long a party whose
# connection dropped may rejoin the same session; how many calls one account makes in an
# hour (more is a flood, refused).
QOLDAU_INTERPRETING_HOURS_PER_YEAR = max(1, int(os.environ.get("QOLDAU_INTERPRETING_HOURS_PER_YEAR", "60")))
QOLDAU_INTERPRETING_OFFER_SECONDS = max(3, int(os.environ.get("QOLDAU_INTERPRETING_OFFER_SECONDS", "20")))
# The session's grace period starts only when the call room lets a dropped party go, after
# QOLDAU_CALL_GRACE_SECONDS: a dropped connection may come back within the sum of the two.
QOLDAU_INTERPRETING_GRACE_SECONDS = max(10, int(os.environ.get("QOLDAU_INTERPRETING_GRACE_SECONDS", "120")))
QOLDAU_INTERPRETING_CALLS_PER_HOUR = max(1, int(os.environ.get("QOLDAU_INTERPRETING_CALLS_PER_HOUR", "6")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QOLDAU_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Video calls (qoldau.core.realtime). The signalling sockets of one call may land on
# different web processes, so they meet in a channel layer: Redis when
# QOLDAU_CHANNEL_LAYER_URL is set (several processes, several machines); unset, the layer
# is the memory of the one process, and `qoldau serve` then runs a single web process.
QOLDAU_CHANNEL_LAYER_URL = os.environ.get("QOLDAU_CHANNEL_LAYER_URL", "")
CHANNEL_LAYERS = {
    "default": (
        {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [QOLDAU_CHANNEL_LAYER_URL], "prefix": "qoldau:asgi", "capacity": 200},
        }
        if QOLDAU_CHANNEL_LAYER_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}
# STUN and TURN servers for the calls' browsers (comma-separated stun:/turn:/turns: URLs);
# none: the browsers reach each other only on one machine or network. With a TURN server
# in coturn's use-auth-secret mode, its shared secret: each participant gets a credential
# valid for hours, never a lasting password.
QOLDAU_ICE_SERVERS = env_list("QOLDAU_ICE_SERVERS")
QOLDAU_TURN_SECRET = os.environ.get("QOLDAU_TURN_SECRET", "")
# A participant whose connection drops keeps their place for this many seconds: coming
# back within it continues the same call (on_join and on_leave are not called again).
QOLDAU_CALL_GRACE_SECONDS = float(os.environ.get("QOLDAU_CALL_GRACE_SECONDS", "60"))


# Background work (Celery). Unset, the broker is a folder under var/ and `qoldau serve`
# starts a worker beside the web server; production points this at Redis.
CELERY_BROKER_URL = os.environ.get("QOLDAU_CELERY_BROKER_URL", "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery"
    for _folder in ("queue", "processed", "control"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
# Results live in the jobs' own rows; no result backend is needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("QOLDAU_TASKS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
# Not CELERY_TASK_REJECT_ON_WORKER_LOST: a job that kills its worker (out of memory) would be
# handed to the next worker at once, and again, for ever. A lost job is found by its
# heartbeat instead (`qoldau.core.jobs`), shown failed, and its user runs it again.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A running job's worker touches its heartbeat (in the cache) several times within this
# many seconds; a running job whose heartbeat is older is taken for dead (its worker was
# killed) and shown failed, to be run again.
QOLDAU_JOB_STALE_SECONDS = int(os.environ.get("QOLDAU_JOB_STALE_SECONDS", "120"))
# Periodic tasks (Celery beat, `celery -A qoldau beat`). Beat's clock is UTC: 04:00 UTC is
# 09:00 Astana time. Each task is idempotent, so a missed or doubled run does no harm.
CELERY_BEAT_SCHEDULE = {
    "contests.remind_grant_report_deadlines": {
        "task": "contests.remind_grant_report_deadlines",
        "schedule": crontab(hour=4, minute=0),
    },
    "jobs.remind_follow_ups": {
        "task": "jobs.remind_follow_ups",
        "schedule": crontab(hour=4, minute=15),
    },
    "services.escalate_unanswered_referrals": {
        "task": "services.escalate_unanswered_referrals",
        "schedule": crontab(minute=30),
    },
    "services.lapse_offers": {
        "task": "services.lapse_offers",
        "schedule": crontab(minute="*/15"),
    },
    "services.remind_permit_expiry": {
        "task": "services.remind_permit_expiry",
        "schedule": crontab(hour=4, minute=30),
    },
    # Offers not answered in time go to the next interpreter, and sessions a party left
    # beyond the grace period close (also done on every dispatch write; this catches a
    # quiet queue).
    "interpreting.tick": {
        "task": "interpreting.tick",
        "schedule": 5.0,
    },
    "interpreting.remind_bookings": {
        "task": "interpreting.remind_bookings",
        "schedule": crontab(minute="*/15"),
    },
    "imports-remove-stale-uploads": {
        "task": "imports.remove_stale_uploads",
        "schedule": crontab(minute="*/10"),
    },
}


_RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def _rate(name: str, value: str) -> float:
    """A rate written as "20/minute" (or per second, hour, day), in tokens per second."""
    count, _slash, period = value.strip().partition("/")
    seconds = _RATE_PERIODS.get(period.strip().lower())
    try:
        rate = float(count) / seconds if seconds else 0.0
    except ValueError:
        rate = 0.0
    if rate <= 0:
        raise ImproperlyConfigured(f"{name} must look like 20/minute (second, minute, hour or day).")
    return rate


def _burst(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1.")
    return int(value)


# Flood limits (token buckets, `qoldau.core.ratelimit`): each allows a burst of this many
# requests at once, refilled at the rate. Messages to the assistant (web chat and
# `POST /api/v1/consult/ask`) are limited per chat session and, more loosely (people share
# addresses behind mobile operators' NAT), per address; hand-offs to a consultant and
# barrier reports per address.
QOLDAU_RATE_LIMITS = {
    "chat": (
        _rate("QOLDAU_CHAT_RATE", os.environ.get("QOLDAU_CHAT_RATE", "20/minute")),
        _burst("QOLDAU_CHAT_BURST", os.environ.get("QOLDAU_CHAT_BURST", "10")),
    ),
    "chat_address": (
        _rate("QOLDAU_CHAT_ADDRESS_RATE", os.environ.get("QOLDAU_CHAT_ADDRESS_RATE", "60/minute")),
        _burst("QOLDAU_CHAT_ADDRESS_BURST", os.environ.get("QOLDAU_CHAT_ADDRESS_BURST", "30")),
    ),
    "handoff_address": (
        _rate("QOLDAU_HANDOFF_RATE", os.environ.get("QOLDAU_HANDOFF_RATE", "20/hour")),
        _burst("QOLDAU_HANDOFF_BURST", os.environ.get("QOLDAU_HANDOFF_BURST", "5")),
    ),
    "citizen_sign_up_address": (
        _rate("QOLDAU_SIGN_UP_RATE", os.environ.get("QOLDAU_SIGN_UP_RATE", "10/hour")),
        _burst("QOLDAU_SIGN_UP_BURST", os.environ.get("QOLDAU_SIGN_UP_BURST", "5")),
    ),
    # The wait list's public lookup (a reference and a birth date) is limited as the
    # sign-up page is: a script must not try references and dates.
    "wait_list_lookup_address": (
        _rate("QOLDAU_WAIT_LIST_LOOKUP_RATE", os.environ.get("QOLDAU_WAIT_LIST_LOOKUP_RATE", "10/hour")),
        _burst("QOLDAU_WAIT_LIST_LOOKUP_BURST", os.environ.get("QOLDAU_WAIT_LIST_LOOKUP_BURST", "5")),
    ),
    "barrier_report_address": (
        _rate("QOLDAU_BARRIER_REPORT_RATE", os.environ.get("QOLDAU_BARRIER_REPORT_RATE", "20/hour")),
        _burst("QOLDAU_BARRIER_REPORT_BURST", os.environ.get("QOLDAU_BARRIER_REPORT_BURST", "10")),
    ),
}

# Public figures: a count of people under this is shown as "fewer than N", the others are
# rounded to the nearest multiple of it (see qoldau.projects.impact).
QOLDAU_SUPPRESSION_THRESHOLD = int(os.environ.get("QOLDAU_SUPPRESSION_THRESHOLD", "5"))
# Largest upload an import accepts, in megabytes.
QOLDAU_IMPORT_MAX_MB = int(os.environ.get("QOLDAU_IMPORT_MAX_MB", "200"))
# What an import reads of one file at most (the file is refused past any of them): rows
# (Excel's own limit), cells (a row counts as wide as its last filled column), and for
# .xlsx the parts' unpacked size and how many times smaller than that a part may be packed
# (spreadsheets pack 5-30 times, zip bombs 300-1,000).
QOLDAU_IMPORT_MAX_ROWS = int(os.environ.get("QOLDAU_IMPORT_MAX_ROWS", "1048576"))
QOLDAU_IMPORT_MAX_CELLS = int(os.environ.get("QOLDAU_IMPORT_MAX_CELLS", "20000000"))
QOLDAU_IMPORT_MAX_UNPACKED_MB = int(os.environ.get("QOLDAU_IMPORT_MAX_UNPACKED_MB", "1024"))
# An upload holds personal data in clear: it is removed when its import ends, and one left
# after its dry run (or at the column-mapping step) this many minutes after it came.
QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES = int(os.environ.get("QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES", "60"))
QOLDAU_IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("QOLDAU_IMPORT_MAX_COMPRESSION_RATIO", "100"))

# Most pixels an uploaded image (a photo, an image document) may declare; checked from
# its header before it is decoded, and Pillow's own limit in every process.
QOLDAU_UPLOAD_MAX_PIXELS = int(os.environ.get("QOLDAU_UPLOAD_MAX_PIXELS", "50000000"))

# Accessibility of infrastructure (the access app).
QOLDAU_ACCESS_PHOTO_MAX_MB = int(os.environ.get("QOLDAU_ACCESS_PHOTO_MAX_MB", "8"))
QOLDAU_ACCESS_TARGET_YEAR = int(os.environ.get("QOLDAU_ACCESS_TARGET_YEAR", "2030"))
# Objects to passport by the target year, by region KATO code: "750000000=34000,710000000=20000".
QOLDAU_ACCESS_TARGETS = {
    code.strip(): int(count)
    for code, _sep, count in (
        item.partition("=") for item in env_list("QOLDAU_ACCESS_TARGETS", "750000000=34000")
    )
    if code.strip() and count.strip().isdigit()
}
# The map's tile server: empty means no background tiles (objects, clusters and the list
# still work), as in the embedded default and the tests. E.g.
# "https://tile.openstreetmap.org/{z}/{x}/{y}.png" with its attribution.
QOLDAU_MAP_TILE_URL = os.environ.get("QOLDAU_MAP_TILE_URL", "")
QOLDAU_MAP_TILE_ATTRIBUTION = os.environ.get("QOLDAU_MAP_TILE_ATTRIBUTION", "")
# The map's own base layer: a PMTiles file on this server (a Kazakhstan extract, README),
# served by Qoldau at /access/map/basemap.pmtiles and drawn in the browser, so the map needs
# no tile server. When set it wins over QOLDAU_MAP_TILE_URL; empty: none.
QOLDAU_MAP_PMTILES = os.environ.get("QOLDAU_MAP_PMTILES", "")


def _tile_source(url_template: str) -> list[str]:
    """The Content-Security-Policy source the map's tiles load from: nothing for a relative
    template (same origin), else its scheme and host; Leaflet's subdomain placeholder
    ({s}.tile.example.org) becomes CSP's wildcard (*.tile.example.org)."""
    parts = urlsplit(url_template)
    if not parts.netloc:
        return []
    labels = parts.netloc.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        raise ImproperlyConfigured(
            "QOLDAU_MAP_TILE_URL may have a placeholder only in the first label of its host name."
        )
    host = ".".join(labels)
    return [f"{parts.scheme}://{host}" if parts.scheme else host]


# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and
# requests only from this site, never inline, so that text slipped into a page cannot
# run; images also from data:/blob: URLs (Leaflet, charts) and the map's tile server.
# QOLDAU_CSP_REPORT_URI: where browsers send reports of what the policy refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *_tile_source(QOLDAU_MAP_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": os.environ.get("QOLDAU_CSP_REPORT_URI") or None,
    }
}
