"""Settings, read only from the environment (with `*_FILE` variants for secrets).

With nothing set, SilverShield runs on an embedded SQLite database in ./data, which is what the demo
uses. Production sets DATABASE_URL (PostgreSQL), SECRET_KEY and SILVERSHIELD_FIELD_KEY.
"""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("SILVERSHIELD_HOME", PACKAGE_DIR.parent)).resolve()


def env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment; NAME_FILE, when set, names a file holding the value."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The demo key is only good for the embedded demo; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY") or "silvershield-demo-only-key-do-not-use-in-production-0123456789"
ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS") or "127.0.0.1,localhost,[::1],testserver").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o]

DATA_DIR = Path(env("SILVERSHIELD_DATA_DIR") or BASE_DIR / "data")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    # Shared pieces: divisions, organisation, people, working days, numbering, audit.
    "silvershield.core",
    # The eight measures (DESIGN.md section 3).
    "silvershield.intake",
    "silvershield.portal",
    "silvershield.ads",
    "silvershield.leads",
    "silvershield.screening",
    "silvershield.entities",
    "silvershield.board",
    "silvershield.cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "silvershield.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "silvershield.config.urls"
WSGI_APPLICATION = "silvershield.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "silvershield.core.context_processors.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'silvershield.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL") or _default_sqlite, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the ledger be read while a write is in progress; IMMEDIATE avoids
    # "database is locked" upgrades when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)

# PostgreSQL: a few statements every received lead runs are prepared once per connection
# (core.sql.prepared_cursor); everything else is bound on the client, as Django does by default. A
# connection pooler in transaction mode must then keep prepared statements (PgBouncer 1.21 and newer,
# max_prepared_statements), or set PREPARED_STATEMENTS=false.
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and PREPARED_STATEMENTS:
    # Django leaves psycopg's preparing off; only cursors that ask (prepare=True) prepare anything.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)

# The cache holds rate-limit and sign-in-failure counters, so every worker process must see the same
# one: Redis in production (REDIS_URL), else a file cache in the data folder (one machine).
# CACHE_BACKEND=locmem keeps it in the process (the test settings use that).
_redis_url = env("REDIS_URL")
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
elif env("CACHE_BACKEND") == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}
    }

# A 12315 file checked on the import page but not confirmed within this many hours is deleted
# (intake/imports.py, discard_unconfirmed): it holds reporters' names and phones in clear.
INTAKE_UNCONFIRMED_HOURS = float(env("INTAKE_UNCONFIRMED_HOURS") or 24)

# Per-process memory of what every API request reads (core/memo.py): how long a worker may keep a
# token's owner (a revoked token stops working within this time) and reference data such as the
# divisions a bureau reaches or the duplicate rule in force.
API_TOKEN_MEMO_SECONDS = float(env("API_TOKEN_MEMO_SECONDS") or 5)
PROCESS_MEMO_SECONDS = float(env("PROCESS_MEMO_SECONDS") or 30)

# Lockout after failed sign-ins (DESIGN.md section 7): this many failures for one account, or from one
# address, within the window lock further attempts for the window.
SIGN_IN_MAX_FAILURES = int(env("SIGN_IN_MAX_FAILURES") or 5)
SIGN_IN_LOCKOUT_SECONDS = int(env("SIGN_IN_LOCKOUT_SECONDS") or 15 * 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "core:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE") or 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("SILVERSHIELD_PLAIN_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT") or DATA_DIR / "media")
# With plain static files (tests, `silvershield runserver` during development) whitenoise serves them
# straight from the app folders, so no collectstatic is needed; production collects them first.
WHITENOISE_USE_FINDERS = env_bool("SILVERSHIELD_PLAIN_STATIC") or DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL") or "WARNING"},
}

# Key for the fields that hold reporters' personal data (DOMAIN.md C.2, Art. 33). Production sets it;
# the demo derives one from SECRET_KEY. See docs/operations.md for rotation.
SILVERSHIELD_FIELD_KEY = env("SILVERSHIELD_FIELD_KEY")

