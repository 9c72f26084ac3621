"""Settings for Reconnect.

Production values come from the variables documented in the README and listed in
deploy/reconnect.env.example. DEBUG is off unless turned on; with DEBUG=true (as
`make run` and the tests have it) nothing else needs setting: SQLite, a development
secret. With DEBUG off, a server needs SECRET_KEY (see require_secret_key); a
command such as makemigrations runs with no environment at all.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_str(name: str, default: str) -> str:
    """A text setting; unset or empty, like every other, means the default."""
    return os.environ.get(name) or default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str(
    "SECRET_KEY", "development-only-secret-do-not-use-in-production" if DEBUG else ""
)


def require_secret_key() -> None:
    """Refuse to serve without a secret key: reconnect.wsgi and reconnect.asgi call this.

    Only a server needs the key at start: commands such as makemigrations run without
    one, and one that signs something stops with Django's own error.
    """
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for development, set DEBUG=true,"
            " as `make run` does)"
        )


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = "Reconnect"
# The address people open the app at, for links in emails; links in pages are built
# from the request's own host.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "journal",
    "guidance",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
]

MIDDLEWARE = [
    # First: a health check needs no session, host check, HTTPS redirect or log line.
    "reconnect.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "journal.middleware.UserTimezoneMiddleware",
    "journal.middleware.SlidingSessionMiddleware",
    "journal.middleware.JournalLockMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reconnect.csp.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "reconnect.urls"
WSGI_APPLICATION = "reconnect.wsgi.application"

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
                "journal.context_processors.journal",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://… switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Connections are kept between requests and checked before reuse, so the first
# request after a database restart reconnects instead of failing.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers: WAL lets readers run beside a writer, IMMEDIATE takes the
    # write lock at BEGIN (no upgrade deadlock), and the timeout waits for it. A kept
    # connection also keeps WAL's index file, which reads need and a full disk could
    # not create again. synchronous=FULL: a commit is on the disk before the answer,
    # a power cut included (bench/durability.py: about 0.6 ms a save).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    # Tests use a file too, so they run on the same WAL set-up as the app; one per
    # run, so that two runs at once do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": Path(tempfile.gettempdir()) / f"reconnect-test-{os.getpid()}.sqlite3"
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "journal.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Accounts (django-allauth): sign in by email; a new address is verified by a code
# mailed to it before the account can be used; sign-up, sign-in and reset answer
# alike whether or not an address has an account (the mail says which).
ACCOUNT_ADAPTER = "journal.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "journal.accounts.forms.LoginForm",
    "signup": "journal.accounts.forms.SignupForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# A new code twice at most, from the code page. (Not a change of address there: the
# page would offer it for a new address only, and so tell a taken one.)
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_SIGNUP_REDIRECT_URL = "onboarding"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Reconnect: "
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
# Rate limits, counted in the default cache (CACHE_URL), which every app server
# shares. Wrong passwords: 5 in 15 minutes for one address from one client, 20 an
# hour for one address from anywhere, 10 a minute from one client whatever the
# address (journal.accounts.adapter); at most 5 reset mails an hour for one address;
# the password again (the lock, deleting the account, a second step's settings) 10
# times a minute and 30 an hour.
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{env_int('LOGIN_FAILURE_LIMIT', 5)}/15m/key",
    "login_failed_any_client": "20/h/key",
    "reset_password": "20/m/ip,5/h/key",
    "reauthenticate": "10/m/user,30/h/user",
}
# Two factors: an authenticator app's codes (TOTP) with recovery codes, and
# passkeys, which also sign in on their own.
MFA_ADAPTER = "journal.accounts.adapter.MFAAdapter"
MFA_FORMS = {"add_webauthn": "journal.accounts.forms.AddPasskeyForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
# A passkey opens only with the device's screen lock (fingerprint, face or PIN): a
# touch on a key left in the computer is not enough.
MFA_WEBAUTHN_USER_VERIFICATION = "required"
MFA_TOTP_ISSUER = "Reconnect"
MFA_RECOVERY_CODES_SHOW_ONCE = True
# A passkey is bound to the site's name; over plain HTTP only for development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions: a new key at every login (Django's own), ended by logout and, for the
# other devices, by a password change; closed after SESSION_IDLE_MINUTES unused.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `collectstatic` puts the files the app serves in production.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def cache_from_url(url: str) -> dict:
    """The cache CACHE_URL names: locmem://, db://TABLE, or redis://HOST:PORT/DB."""
    scheme, _, rest = url.partition("://")
    options = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": options}
    if scheme == "db" and rest:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest,
            "OPTIONS": options,
            "KEY_FUNCTION": "reconnect.cache.make_key",
        }
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL must be locmem://, db://TABLE or redis://HOST:PORT/DB, not {url!r}"
    )


# The sign-in rate limits, which must be counted in one place for every process: in
# production the database's cache table (or Redis), which every worker and app
# server shares; in development and tests, this process's memory.
#
# Computed trends and rendered parts of pages are kept apart, in each process's own
# memory: each is stored with the journal's version it was computed at, which every
# request reads from the user's row, so no process can show a stale copy, and
# reading one costs no query.
CACHES = {
    "default": cache_from_url(
        env_str("CACHE_URL", "locmem://" if DEBUG else "db://reconnect_cache")
    ),
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "reconnect-pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 2_000)},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Reconnect <reconnect@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # A mail server that hangs must not hold a request (or a reminder run) for long.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# With the outbox (on unless DEBUG), a request only writes the mail into the
# database; `manage.py send_outbox`, every minute, sends it through the backend above.
OUTBOX_DELIVERY_BACKEND = EMAIL_BACKEND
if env_bool("EMAIL_OUTBOX", not DEBUG):
    EMAIL_BACKEND = "journal.mail.OutboxBackend"

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Nothing but the app's own files, and no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The service worker (/sw.js), which keeps the offline page.
        "worker-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Behind a reverse proxy that terminates HTTPS (Caddy in deploy/): it says the
# request came over HTTPS, and which client sent it (journal.access.client_ip).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs never hold note text, passwords, tokens or session keys: nothing logs a
# note or a form, and paths that carry a token are blanked (reconnect/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
