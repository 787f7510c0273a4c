"""Settings for rehab, read from the environment.

With nothing set it runs on its own: a SQLite file, an embedded (file-system) Celery broker,
console e-mail and Bahasa Indonesia. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL
and Redis. A bad value stops start-up with a message instead of being guessed at.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from rehab.log import parse_admins

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a yes/no environment variable, refusing anything else."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    """Read an integer environment variable, refusing anything else."""
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("REHAB_REQUIRE_SECRET_KEY"):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # A fixed key for the embedded default only; docker-compose and production set their own.
    SECRET_KEY = "insecure-local-development-key-change-me-in-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
VAR_DIR = Path(os.environ.get("REHAB_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    # axes, the OTP plugins and celery beat under Indonesian names in the admin (rehab/apps.py).
    "rehab.apps.AxesConfig",
    "csp",
    "django_otp",
    "rehab.apps.OtpTotpConfig",
    "rehab.apps.OtpStaticConfig",
    "rehab.apps.CeleryBeatConfig",
    "rehab",
    "inmates",
    "assessments",
    "programs",
    "reports",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "rehab.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for the Rutan's slow link. Django's GZipMiddleware pads each response
    # with random bytes (the BREACH mitigation of Django 4.2) since pages carry a CSRF token.
    # Static files are compressed ahead by WhiteNoise's manifest storage (gzip and brotli).
    "django.middleware.gzip.GZipMiddleware",
    # The Content-Security-Policy header, with a fresh nonce for each page (see CSP below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rehab.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on signed-in pages and personal-data files (shared PCs).
    "rehab.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    # Deny by default: every view needs a signed-in user unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The 12-hour session limit, then the second sign-in step gate (they add messages).
    "rehab.sessions.SessionLifetimeMiddleware",
    "rehab.mfa.SecondStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rehab.middleware.FacilityTimezoneMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rehab.urls"
WSGI_APPLICATION = "rehab.wsgi.application"

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
                "rehab.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.l10n", "rehab.templatetags.rehab_format"],
        },
    },
]

# PostgreSQL keeps a connection for a minute (a new one costs a few ms of every request), with a
# health check before reuse; SQLite opens its file per request. The tests pin it to 0
# (pyproject.toml).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
_postgres = (
    "postgresql" in DATABASES["default"]["ENGINE"] or "postgis" in DATABASES["default"]["ENGINE"]
)
DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", "60" if _postgres else "0")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = _postgres
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "rehab.passwords.IndonesianCommonPasswordValidator"},
    {"NAME": "rehab.passwords.RepeatedCharacterValidator"},
    {"NAME": "rehab.passwords.DemoPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions end after 30 minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", "1800")
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS. Production is served over HTTPS only (docker-compose.yml puts Caddy in front); the
# README's production environment turns each of these on, and `manage.py check --deploy` is
# then silent (tests/rehab/test_deploy.py).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
# The container's health check asks over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
# Behind a proxy that terminates TLS the app sees plain HTTP, and X-Forwarded-Proto says what
# the browser used. Believe it only behind a proxy that always overwrites that header (Caddy
# does): anywhere else a client could claim HTTPS.
if envbool("TRUST_X_FORWARDED_PROTO", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from our own
# static files, nothing inline. Scripts carry the page's nonce; the templates hold no inline
# script, style or on*= handler (tests/rehab/test_csp.py), htmx is told not to add its own
# <style> nor to eval (the htmx-config meta tag in base.html), and Bootstrap's icons in CSS
# are data: URIs. Violations show in the browser console (tests/e2e/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Chrome shows an inline PDF through an <embed> that object-src governs: 'none' (or
        # default-src 'none' alone) leaves the viewer blank (crbug.com/271452).
        "object-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# Lock out a username from one address after repeated failures; a colleague behind the
# same NAT (same address, other username) can still sign in.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# The client address axes keys on: REMOTE_ADDR, or behind a trusted proxy the right-most
# address of X-Forwarded-For that is not one of REHAB_TRUSTED_PROXIES (rehab/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "rehab.client_ip.client_ip"
# Wrong second-step codes count like wrong passwords; a correct password alone does not wipe
# them (rehab/mfa.py AxesHandler), only a completed sign-in does.
AXES_HANDLER = "rehab.mfa.AxesHandler"

# Multi-factor sign-in, passwords and session lifetime (rehab/mfa.py, rehab/sessions.py).
# REHAB_DEMO=1 is set by `make run` only: the printed demo password is then allowed and,
# unless REHAB_REQUIRE_MFA says otherwise, the second step is not required.
REHAB_DEMO = envbool("REHAB_DEMO", "false")
_require_mfa = os.environ.get("REHAB_REQUIRE_MFA", "auto").strip().lower()
# "auto": required whenever DEBUG is off and this is not the demo.
REHAB_REQUIRE_MFA = (
    not DEBUG and not REHAB_DEMO if _require_mfa == "auto" else envbool("REHAB_REQUIRE_MFA", "")
)
REHAB_SESSION_ABSOLUTE_HOURS = envint("REHAB_SESSION_ABSOLUTE_HOURS", "12")
REHAB_TRUSTED_PROXIES = envlist("REHAB_TRUSTED_PROXIES", "")
for _proxy in REHAB_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"REHAB_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None
OTP_TOTP_ISSUER = "rehab"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
# One locale format: rehab/formats/id ("3 Desember 2026", "03/12/2026", "3.000.000").
FORMAT_MODULE_PATH = ["rehab.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", "false")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not envbool("STATIC_MANIFEST", "false")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "rehab@localhost")
EMAIL_SUBJECT_PREFIX = "[rehab] "
# The address the site is opened at, for links in mail sent from a background task (no request).
REHAB_BASE_URL = os.environ.get("REHAB_BASE_URL", "http://localhost:8000")
# The base of the identifier and code systems of the FHIR export (reports/fhir.py): set once per
# deployment and never changed, or SATUSEHAT sees every resource as new.
REHAB_FHIR_NAMESPACE = os.environ.get("REHAB_FHIR_NAMESPACE", f"{REHAB_BASE_URL.rstrip('/')}/fhir")

# Error reports: a 500 or a failed background task is mailed to these people (rehab/log.py
# AdminMailHandler: no personal data in the mail). "Name <mail>, Other <mail2>".
try:
    ADMINS = parse_admins(os.environ.get("REHAB_ADMINS", ""))
except ValueError as _error:
    raise ImproperlyConfigured(f"REHAB_ADMINS: {_error}") from None

# --- Input limits ---------------------------------------------------------------------------
# Every part of a request that a client can make grow is bounded here, once; forms and views
# read these names. Without them one 2 KB POST claiming a million formset rows kept a worker
# busy for minutes, and an upload of any size was stored before it was looked at.

# Rows of each formset (max_num = absolute_max, so Django never builds more forms than this).
FORMSET_MAX_SUBSTANCES = 20  # substances in one assessment's history of use
FORMSET_MAX_PLAN_ITEMS = 50  # interventions in one assessment's treatment plan
FORMSET_MAX_CASE_ARTICLES = 20  # pasal of one WBP's case (jo. chains rarely pass five)
# The largest cohort or course: its capacity, so the largest attendance sheet, and the most
# rows one bulk action (enrol, approve) may pick at once.
MAX_ROSTER = envint("REHAB_MAX_ROSTER", "200")

# Free text: reasons and addresses are short; notes, narratives and descriptions are long.
TEXT_MAX_SHORT = 2_000
TEXT_MAX_LONG = 10_000
# A search box or the live duplicate probe: a name, an alias, a number.
SEARCH_MAX_CHARS = 100
# The navbar search suggests this many WBP as the user types, from this many characters on.
SEARCH_SUGGESTIONS = 10
SEARCH_MIN_CHARS = 2
# A filtered WBP list printed or exported to XLSX: the largest Rutan holds a few thousand WBP.
LIST_PRINT_MAX_ROWS = envint("LIST_PRINT_MAX_ROWS", "2000")
LIST_EXPORT_MAX_ROWS = envint("LIST_EXPORT_MAX_ROWS", "10000")

# Fields per request, from the largest legitimate form, the assessment:
#   11 form fields + csrf                                   =  12
#   7 ASI domains x 5 fields                                =  35
#   FORMSET_MAX_SUBSTANCES (20) x (5 fields + DELETE)       = 120
#   FORMSET_MAX_PLAN_ITEMS (50) x (2 fields + DELETE)       = 150
#   3 management forms x 4 fields                           =  12   -> 329
# An attendance sheet is MAX_ROSTER (200) marks + version + csrf = 202; the WBP form with 20
# articles 172; an admin changelist action on 100 rows 104. Plus 100 of headroom. A request with
# more fields is answered 400 by Django (TooManyFieldsSent) before any view runs.
_ASSESSMENT_FIELDS = 12 + 7 * 5 + FORMSET_MAX_SUBSTANCES * 6 + FORMSET_MAX_PLAN_ITEMS * 3 + 3 * 4
DATA_UPLOAD_MAX_NUMBER_FIELDS = max(_ASSESSMENT_FIELDS, MAX_ROSTER + 2) + 100
# Bytes of a request body other than files, again from the assessment: 7 narratives of
# TEXT_MAX_LONG + tier_reason (TEXT_MAX_SHORT) + 50 plan details of 255 + comorbidity 255
# = 84,995 characters; a character costs at most 9 bytes percent-encoded (3 UTF-8 bytes as
# %XX each): 764,955 bytes, plus 64 KB for names and short fields. Over it: 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = (
    9 * (7 * TEXT_MAX_LONG + TEXT_MAX_SHORT + FORMSET_MAX_PLAN_ITEMS * 255 + 255) + 64 * 1024
)
# The SDP import takes one file; nothing else uploads.
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# Uploads stream to a temporary file and are refused, unstored, past this size (the request's
# Content-Length is checked first, the bytes as they arrive second).
REHAB_MAX_UPLOAD_MB = envint("REHAB_MAX_UPLOAD_MB", "10")
IMPORT_MAX_BYTES = REHAB_MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["rehab.uploads.LimitedUploadHandler"]
# Data rows of one SDP export: the largest Rutan/Lapas holds a few thousand WBP.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "5000")
# An SDP export has about 25 columns; a value past column 60 means this is not one.
IMPORT_MAX_COLUMNS = 60
# The longest SDP value is an address or a pasal text, a few hundred characters.
IMPORT_MAX_CELL_CHARS = 1_000
# Rows of an .xlsx sheet, blank ones included, when the sheet does not say its size.
IMPORT_MAX_SHEET_ROWS = 10 * IMPORT_MAX_ROWS
# This many blank rows in a row end the sheet: Excel keeps formatted empty rows to 1,048,576.
IMPORT_BLANK_ROWS_END_SHEET = 1_000
# An .xlsx is a zip: its parts may unpack to this much in total, members over 1 MB may not be
# compressed more than this ratio (an export's XML is 5-20x; a zip bomb is thousands), and the
# zip may hold this many parts.
IMPORT_MAX_UNZIPPED_MB = 50
IMPORT_MAX_COMPRESSION_RATIO = 100
IMPORT_MAX_ZIP_MEMBERS = 500
# Rows per page of the import preview; longer cell text is cut for display there.
IMPORT_PREVIEW_PAGE_SIZE = 50
IMPORT_PREVIEW_CELL_CHARS = 120

# Post-release follow-ups (pascarehabilitasi) are scheduled this many months after release.
AFTERCARE_MONTHS = [int(m) for m in envlist("AFTERCARE_MONTHS", "1,3,6,12")]
# Releases this many days ahead get a release-planning checklist.
RELEASE_PLANNING_DAYS = envint("RELEASE_PLANNING_DAYS", "90")

# Nightly backups (rehab/backup.py, `manage.py backup`): written here, the newest this many kept.
REHAB_BACKUP_DIR = Path(os.environ.get("REHAB_BACKUP_DIR", VAR_DIR / "backups"))
REHAB_BACKUP_KEEP = envint("REHAB_BACKUP_KEEP", "14")
# WBP released more than this many years ago are anonymised (rehab/privacy.py, monthly by beat).
REHAB_RETENTION_YEARS = envint("REHAB_RETENTION_YEARS", "5")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: an embedded file-system broker unless CELERY_BROKER_URL names a real one. The tests
# use memory:// (pyproject), which only works with the worker in the same process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's file-system transport with whole-message writes (see rehab/celery.py).
    CELERY_BROKER_TRANSPORT = "rehab.celery:AtomicFileSystemTransport"
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith("memory://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.1}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = envint("CELERY_MAX_TASKS_PER_CHILD", "50")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# The worker logs through LOGGING below (same format, the task id in the request id's place).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# A report still queued this long after it was asked for has lost its task (a worker killed
# while holding it, a message the broker dropped): beat queues it again every five minutes, and
# every worker queues all queued reports again when it starts. Generating is idempotent.
REPORT_REQUEUE_AFTER_MINUTES = envint("REPORT_REQUEUE_AFTER_MINUTES", "10")
# A monthly summary counted from the data (a month without a report: the month so far) is
# counted again by beat every hour, and by a page that finds it older than this.
REPORT_SUMMARY_MAX_AGE_MINUTES = envint("REPORT_SUMMARY_MAX_AGE_MINUTES", "60")
CELERY_BEAT_SCHEDULE = {
    # django-celery-beat copies these entries into its table each time beat starts.
    "Laporan tertahan: antrekan ulang": {
        "task": "reports.tasks.requeue_stuck_reports",
        "schedule": 5 * 60.0,
    },
    "Ringkasan bulan berjalan: hitung ulang": {
        "task": "reports.tasks.refresh_current_summaries",
        "schedule": 60 * 60.0,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "rehab.log.RequestIdFilter"},
        "client_errors": {"()": "rehab.log.ClientErrorFilter"},
    },
    "formatters": {
        "line": {
            "class": "rehab.log.Formatter",
            "format": "%(asctime)s %(levelname)s %(request_id)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id", "client_errors"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Everything goes to the one console handler above: no second copy from Django's
        # default handlers (console when DEBUG, mail_admins), nor from Celery's task logger.
        "django": {"level": "INFO"},
        "celery.task": {"handlers": ["console"], "propagate": False},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; refused URLs still show as warnings.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
# Errors to Sentry as well when a DSN is set, scrubbed like the admins' mail (rehab/log.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from rehab.log import init_sentry

    init_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))
if ADMINS:
    # Errors only (the handler's level): the 4xx warnings of django.request stay in the log.
    LOGGING["handlers"]["mail_admins"] = {  # type: ignore[index]
        "()": "rehab.log.AdminMailHandler",
        "filters": ["request_id"],
    }
    for _logger in ("django.request", "celery.app.trace"):
        LOGGING["loggers"].setdefault(_logger, {})["handlers"] = ["mail_admins"]  # type: ignore[index,union-attr,attr-defined]
