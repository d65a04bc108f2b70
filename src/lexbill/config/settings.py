"""lexbill settings.

SQLite under $LEXBILL_HOME (default ~/.lexbill) unless DATABASE_URL is set; PostgreSQL when
DATABASE_URL=postgres://... . Everything a deployment may change comes from the environment.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
LEXBILL_HOME = Path(os.environ.get("LEXBILL_HOME", Path.home() / ".lexbill")).expanduser()


def _secret_key() -> str:
    """Take SECRET_KEY from the environment, else keep one generated key per LEXBILL_HOME."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    LEXBILL_HOME.mkdir(parents=True, exist_ok=True)
    key_file = LEXBILL_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
# Earlier keys, comma-separated, after a rotation: sessions and the audit chain's keyed hashes still verify.
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
DEBUG = _env_bool("LEXBILL_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "lexbill.core",
    "lexbill.staff",
    "lexbill.timekeeping",
    "lexbill.clients",
    "lexbill.rates",
    "lexbill.billing",
    "lexbill.ebilling",
    "lexbill.api",
    "lexbill.web",
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
    "django_htmx.middleware.HtmxMiddleware",
    "lexbill.core.middleware.ActiveFirmMiddleware",
    "lexbill.web.middleware.OneTimePasswordMiddleware",
    "lexbill.api.middleware.ApiTokenMiddleware",
]

ROOT_URLCONF = "lexbill.config.urls"
WSGI_APPLICATION = "lexbill.config.wsgi.application"

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
                "lexbill.core.context_processors.active_firm",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    LEXBILL_HOME.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(LEXBILL_HOME / "lexbill.sqlite3"),
            # WAL lets the web server read while a CLI import writes; IMMEDIATE avoids
            # "database is locked" upgrades in the middle of a write transaction. Only services open
            # transactions (core.transactions); reads run in autocommit and never take this lock.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("LEXBILL_STATIC_ROOT", LEXBILL_HOME / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve from the app directories too, so `lexbill serve` works without a collectstatic step.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Background work (bill runs, batch sending) through Django's task interface; the database backend needs
# no broker. A worker runs them: `lexbill worker` (ADR 4). LEXBILL_TASKS=immediate runs them inline.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("LEXBILL_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Outgoing email (invoices): SMTP by default. LEXBILL_EMAIL_BACKEND may name another Django backend, e.g.
# django.core.mail.backends.console.EmailBackend on a laptop without a mail server.
EMAIL_BACKEND = os.environ.get("LEXBILL_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("LEXBILL_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LEXBILL_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LEXBILL_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LEXBILL_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("LEXBILL_SMTP_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = _env_bool("LEXBILL_SMTP_SSL", False)  # implicit TLS, usually port 465
# Without a timeout a silent mail server would hang a batch send forever.
EMAIL_TIMEOUT = int(os.environ.get("LEXBILL_SMTP_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("LEXBILL_FROM_EMAIL", "billing@localhost")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LEXBILL_LOG_LEVEL", "WARNING")},
}
