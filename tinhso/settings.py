"""Django settings for Tỉnh Số. Every operator-facing value comes from the
environment; see docs/operations.md for the list."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tinhso.conf import database_config, env_bool, env_int, env_list, redis_config, security_config, storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ

_security = security_config(ENV)
PRODUCTION = _security["PRODUCTION"]
DEBUG = _security["DEBUG"]
SECRET_KEY = _security["SECRET_KEY"]
ALLOWED_HOSTS = _security["ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = env_list(ENV, "TINHSO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files (no CDN; allowed by the CSP)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tinhso.core",
    "tinhso.policies",
    "tinhso.demo",
    "tinhso.audit",
    "tinhso.units",
    "tinhso.agencies",
    "tinhso.accounts",
    "tinhso.workcalendar",
    "tinhso.catalogue",
    "tinhso.notifications",
    "tinhso.dossiers",
    "tinhso.identity",
    "tinhso.datastore",
    "tinhso.evaluations",
    "tinhso.portal",
    "tinhso.signatures",
    "tinhso.payments",
    "tinhso.receipts",
    "tinhso.dashboard",
    "tinhso.serviceindex",
    "tinhso.reports",
    "tinhso.integration",
    "tinhso.fieldreports",
    "tinhso.officialdocs",
    "tinhso.registries",
    "tinhso.nationalportal",
    "tinhso.postal",
    "tinhso.meetings",
    "tinhso.digitalteams",
    "tinhso.directory",
    "tinhso.secwatch",
    "tinhso.addresses",
    "tinhso.farmproducts",
    "tinhso.citizenapp",
    "tinhso.schedules",
    "tinhso.marketprices",
    "tinhso.news",
    "tinhso.questions",
    "tinhso.backoffice",
    "tinhso.backups",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tinhso.core.csp.ContentSecurityPolicyMiddleware",
    "tinhso.core.api.BadRequestBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tinhso.core.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tinhso.secwatch.hooks.PermissionRefusedMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tinhso.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tinhso.integration.gateway.InboundLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tinhso.urls"
WSGI_APPLICATION = "tinhso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tinhso" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tinhso.backoffice.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": database_config(ENV, BASE_DIR)}
# The dashboard's covering index (INCLUDE columns) is a PostgreSQL feature; SQLite keeps the key columns
# only, which is all it can use. Its warning (models.W040) says nothing an operator can act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tinhso" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(ENV.get("TINHSO_STATIC_ROOT") or BASE_DIR / "var" / "static")
# Front-end packages from the npm registry (package.json; bin/setup runs `npm ci`): served as static files.
STATICFILES_DIRS = [(f"vendor/{name}", BASE_DIR / "node_modules" / name / "dist") for name in ("leaflet",)
                    if (BASE_DIR / "node_modules" / name / "dist").is_dir()]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(ENV.get("TINHSO_MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Uploaded files: local disk, or an S3-compatible bucket with TINHSO_S3_BUCKET (docs/operations.md).
STORAGES = {
    "default": storage_config(ENV),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache and sessions: per process + database without Redis; with TINHSO_REDIS_URL the
# cache is shared in Redis and sessions are "cached_db" (see tinhso/conf.py redis_config).
_redis = redis_config(ENV)
CACHES = _redis["CACHES"]
SESSION_ENGINE = _redis["SESSION_ENGINE"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(ENV.get("TINHSO_HSTS_SECONDS", "31536000"))

# Upload limits: a catalogue import file at most this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
TINHSO_IMPORT_MAX_BYTES = int(ENV.get("TINHSO_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Public catalogue data (search pages; procedure and agency names in the dossier look-up) is cached
# this many seconds (0 = off). A change shows at once with Redis; with the per-process cache, in
# other processes within this time.
TINHSO_CATALOGUE_CACHE_SECONDS = env_int(ENV, "TINHSO_CATALOGUE_CACHE_SECONDS", 60, minimum=0)
# Public dossier look-up (/tra-cuu/, /api/v1/public/dossiers/): a code is refused for this many minutes
# after this many wrong phone digits (0 = no limit). The count lives in the cache: use Redis with several
# app servers so that they share it.
TINHSO_LOOKUP_MAX_FAILURES = env_int(ENV, "TINHSO_LOOKUP_MAX_FAILURES", 10, minimum=0)
TINHSO_LOOKUP_LOCK_MINUTES = env_int(ENV, "TINHSO_LOOKUP_LOCK_MINUTES", 60, minimum=1)
# Where `manage.py backup` writes when no --to is given (docs/backup.md).
TINHSO_BACKUP_DIR = Path(ENV.get("TINHSO_BACKUP_DIR") or BASE_DIR / "var" / "backups")

# Two-factor login: on, every staff member must enrol TOTP; off, only holders of the roles that the dated
# rules (accounts.TwoFactorRule, /accounts/two-factor/) require it for (the system administrator by default).
OTP_TOTP_ISSUER = ENV.get("TINHSO_OTP_ISSUER", "Tỉnh Số")
TINHSO_REQUIRE_2FA = env_bool(ENV, "TINHSO_REQUIRE_2FA", PRODUCTION)

# Failed staff sign-ins (password or two-factor code): an account name is locked for
# TINHSO_SIGNIN_LOCK_MINUTES after TINHSO_SIGNIN_MAX_FAILURES failures within TINHSO_SIGNIN_WINDOW_MINUTES
# (0 = no limit); a client address only after TINHSO_SIGNIN_ADDRESS_MAX_FAILURES (0 = never), so that
# a whole office behind one address is not locked out by one person.
TINHSO_SIGNIN_MAX_FAILURES = env_int(ENV, "TINHSO_SIGNIN_MAX_FAILURES", 5, minimum=0)
TINHSO_SIGNIN_WINDOW_MINUTES = env_int(ENV, "TINHSO_SIGNIN_WINDOW_MINUTES", 15, minimum=1)
TINHSO_SIGNIN_LOCK_MINUTES = env_int(ENV, "TINHSO_SIGNIN_LOCK_MINUTES", 15, minimum=1)
TINHSO_SIGNIN_ADDRESS_MAX_FAILURES = env_int(ENV, "TINHSO_SIGNIN_ADDRESS_MAX_FAILURES", 100, minimum=0)

# Content-Security-Policy (tinhso/core/csp.py): forms may post to this site, the e-ID provider
# (TINHSO_OIDC_ISSUER) and the payment platform (TINHSO_PAYGOV_PAY_URL); TINHSO_CSP_FORM_ACTION adds
# more origins (comma-separated URLs, e.g. an authorisation endpoint on another host than its issuer).
# TINHSO_CSP_REPORT_URI, when set, receives the browsers' violation reports.
TINHSO_CSP_FORM_ACTION = tuple(u.strip() for u in ENV.get("TINHSO_CSP_FORM_ACTION", "").split(",") if u.strip())
TINHSO_CSP_REPORT_URI = ENV.get("TINHSO_CSP_REPORT_URI", "").strip()

# `manage.py seed_demo` also generates this many dossiers over the past 12 months (the province-year
# generator, docs/data-generator.md) so that the demo's dashboard shows a real picture; 0 = none.
TINHSO_DEMO_DOSSIERS = env_int(ENV, "TINHSO_DEMO_DOSSIERS", 3000, minimum=0)
TINHSO_DEMO_REPORTS = env_int(ENV, "TINHSO_DEMO_REPORTS", 300, minimum=0)
TINHSO_DEMO_DOCUMENTS = env_int(ENV, "TINHSO_DEMO_DOCUMENTS", 120, minimum=0)  # outgoing per agency (incoming ×1.6)

# Files an action stored before its transaction failed: a daily job (tinhso/core/tasks.py) removes files
# under these prefixes that no row references and that are older than TINHSO_ORPHAN_GRACE_HOURS.
TINHSO_UPLOAD_PREFIXES = env_list(ENV, "TINHSO_UPLOAD_PREFIXES") or [
    "dossiers/", "datastore/", "receipts/", "staged/", "catalogue/templates/", "fieldreports/", "officialdocs/"]
TINHSO_ORPHAN_GRACE_HOURS = env_int(ENV, "TINHSO_ORPHAN_GRACE_HOURS", 24, minimum=1)

# Where the administrative-unit data lives (the 2025 reorganisation data set,
# MIT, shipped in tinhso/units/data/admin-units-2025 with its licence).
TINHSO_ADMIN_UNITS_DIR = Path(
    ENV.get("TINHSO_ADMIN_UNITS_DIR") or BASE_DIR / "tinhso" / "units" / "data" / "admin-units-2025"
)

# Background jobs (Huey): on one machine the queue is a SQLite file and the
# worker is `manage.py run_huey`; with TINHSO_REDIS_URL the queue is Redis and
# any number of worker processes may run. TINHSO_TASKS_IMMEDIATE runs tasks
# inline (tests).
HUEY = {
    "name": ENV.get("TINHSO_TASKS_QUEUE", "tinhso").strip() or "tinhso",
    "immediate": env_bool(ENV, "TINHSO_TASKS_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": int(ENV.get("TINHSO_TASK_WORKERS", "2")), "worker_type": "thread", "periodic": True},
}
if _redis["REDIS_URL"]:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis["REDIS_URL"]})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey",
                 "filename": str(Path(ENV.get("TINHSO_TASKS_DB") or BASE_DIR / "var" / "tasks.sqlite3"))})

EMAIL_BACKEND = ENV.get("TINHSO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
                        if not PRODUCTION else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = ENV.get("TINHSO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(ENV.get("TINHSO_EMAIL_PORT", "25"))
# With TINHSO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (staging, tests): the folder.
EMAIL_FILE_PATH = ENV.get("TINHSO_EMAIL_FILE_PATH") or str(BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = ENV.get("TINHSO_EMAIL_FROM", "Tỉnh Số <no-reply@localhost>")
TINHSO_BASE_URL = ENV.get("TINHSO_BASE_URL", "http://127.0.0.1:8000")
# Online meetings (docs/meetings.md): the province's Jitsi Meet server; with an app id and secret (Jitsi's
# token authentication) every participant's link carries a signed room token (HS256 JWT).
TINHSO_JITSI_URL = ENV.get("TINHSO_JITSI_URL", "https://meet.jit.si").rstrip("/")
TINHSO_JITSI_APP_ID = ENV.get("TINHSO_JITSI_APP_ID", "").strip()
TINHSO_JITSI_SECRET = ENV.get("TINHSO_JITSI_SECRET", "").strip()
# Map tiles for the field-report maps (any XYZ tile server; empty: no tiles, the pins and lists still work).
TINHSO_MAP_TILE_URL = ENV.get("TINHSO_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TINHSO_MAP_ATTRIBUTION = ENV.get("TINHSO_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
TINHSO_MAP_CENTER = [float(v) for v in ENV.get("TINHSO_MAP_CENTER", "10.0341,105.7880").split(",")]
TINHSO_REPORT_PHOTO_MAX_BYTES = int(ENV.get("TINHSO_REPORT_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
TINHSO_REPORT_VIDEO_MAX_BYTES = int(ENV.get("TINHSO_REPORT_VIDEO_MAX_BYTES", str(30 * 1024 * 1024)))
TINHSO_UPLOAD_MAX_BYTES = int(ENV.get("TINHSO_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = max(DATA_UPLOAD_MAX_MEMORY_SIZE, 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The supplement-request limit, the due-soon window, who may finish a dossier and which waits stop the
# clock are dated rules edited at /policies/ (tinhso/policies, docs/policies.md), not settings.

# SMS to citizens: "sandbox" keeps messages in the outbox; "http" posts JSON to
# the province's contracted gateway (see docs/portal.md).
TINHSO_SMS_PROVIDER = ENV.get("TINHSO_SMS_PROVIDER", "sandbox")
TINHSO_SMS_URL = ENV.get("TINHSO_SMS_URL", "")
TINHSO_SMS_TOKEN = ENV.get("TINHSO_SMS_TOKEN", "")
TINHSO_SMS_BRANDNAME = ENV.get("TINHSO_SMS_BRANDNAME", "TINHSO")

# Receipts: in the demo/sandbox an agency without a declared receipt series
# gets one on first use; in production the series must be declared.
TINHSO_RECEIPT_DEMO_SERIES = env_bool(ENV, "TINHSO_RECEIPT_DEMO_SERIES", not PRODUCTION)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("TINHSO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- identity (OpenID Connect) ---
# Citizens sign in with the national e-ID provider (OpenID Connect, code flow +
# PKCE). See docs/identity.md. With TINHSO_OIDC_ISSUER unset and the sandbox on,
# the portal signs in against its own sandbox provider at /sandbox/idp.
TINHSO_OIDC_ISSUER = ENV.get("TINHSO_OIDC_ISSUER", "").strip()
TINHSO_OIDC_CLIENT_ID = ENV.get("TINHSO_OIDC_CLIENT_ID", "tinhso-dvc").strip()
TINHSO_OIDC_CLIENT_SECRET = ENV.get("TINHSO_OIDC_CLIENT_SECRET", "").strip()
TINHSO_OIDC_SCOPES = ENV.get("TINHSO_OIDC_SCOPES", "openid profile").strip()
# client_secret_basic (default) or client_secret_post
TINHSO_OIDC_TOKEN_AUTH_METHOD = ENV.get("TINHSO_OIDC_TOKEN_AUTH_METHOD", "client_secret_basic").strip()
TINHSO_OIDC_TIMEOUT = float(ENV.get("TINHSO_OIDC_TIMEOUT", "10"))
# Which claim carries which profile field (TINHSO_OIDC_CLAIM_ID_NUMBER=..., etc.).
TINHSO_OIDC_CLAIMS = {
    field: ENV.get(f"TINHSO_OIDC_CLAIM_{field.upper()}", default).strip()
    for field, default in {
        "id_number": "id_number", "full_name": "name", "birth_date": "birthdate", "address": "address",
        "phone": "phone_number", "email": "email", "eid_level": "eid_level",
    }.items()
}
# The sandbox identity provider: on by default except in production.
TINHSO_OIDC_SANDBOX = env_bool(ENV, "TINHSO_OIDC_SANDBOX", not PRODUCTION)
TINHSO_OIDC_SANDBOX_PASSWORD = ENV.get("TINHSO_OIDC_SANDBOX_PASSWORD", "thunghiem")
TINHSO_OIDC_SANDBOX_REDIRECT_URIS = env_list(ENV, "TINHSO_OIDC_SANDBOX_REDIRECT_URIS")

# --- payments ---
# Online payment through the national payment platform (PayGov). See
# docs/payments.md. With TINHSO_PAYGOV_PAY_URL unset and the sandbox on, the
# portal pays against its own sandbox gateway at /sandbox/paygov/.
TINHSO_PAYGOV_SANDBOX = env_bool(ENV, "TINHSO_PAYGOV_SANDBOX", not PRODUCTION)
# The national document axis (Trục liên thông văn bản quốc gia), docs/official-documents.md: its address and
# this installation's credentials. Empty URL: documents to agencies outside the installation wait, pending.
# The sandbox axis (/sandbox/axis/) speaks the same protocol; with TINHSO_AXIS_URL unset and the sandbox on,
# the demo sends through it.
TINHSO_AXIS_SANDBOX = env_bool(ENV, "TINHSO_AXIS_SANDBOX", not PRODUCTION)
TINHSO_AXIS_URL = ENV.get("TINHSO_AXIS_URL", "").strip()
TINHSO_AXIS_SYSTEM_ID = ENV.get("TINHSO_AXIS_SYSTEM_ID", "tinhso").strip()
TINHSO_AXIS_SECRET = ENV.get("TINHSO_AXIS_SECRET", "sandbox-secret").strip()
TINHSO_AXIS_SANDBOX_SECRET = ENV.get("TINHSO_AXIS_SANDBOX_SECRET", "sandbox-secret").strip()
# The national public service portal (Cổng DVCQG), dossier sync (docs/national-portal-and-post.md). With
# TINHSO_NATIONAL_PORTAL_URL unset and the sandbox on, events go to the sandbox portal at /sandbox/dvcqg/; with
# both off they wait in the outbox. MaDonVi, account and password are issued by the Government Office.
TINHSO_NATIONAL_PORTAL_SANDBOX = env_bool(ENV, "TINHSO_NATIONAL_PORTAL_SANDBOX", not PRODUCTION)
TINHSO_NATIONAL_PORTAL_URL = ENV.get("TINHSO_NATIONAL_PORTAL_URL", "").strip()
TINHSO_NATIONAL_PORTAL_UNIT_CODE = ENV.get("TINHSO_NATIONAL_PORTAL_UNIT_CODE", "000.00.00.H13").strip()
TINHSO_NATIONAL_PORTAL_USERNAME = ENV.get("TINHSO_NATIONAL_PORTAL_USERNAME", "tinhso").strip()
TINHSO_NATIONAL_PORTAL_PASSWORD = ENV.get("TINHSO_NATIONAL_PORTAL_PASSWORD", "" if PRODUCTION else "thunghiem")
TINHSO_NATIONAL_PORTAL_SANDBOX_PASSWORD = ENV.get("TINHSO_NATIONAL_PORTAL_SANDBOX_PASSWORD", "thunghiem")
# The public-utility postal service (bưu chính công ích): pick-up of papers, delivery of results. With
# TINHSO_POSTAL_URL unset and the sandbox on, orders go to the sandbox post at /sandbox/postal/. The post calls
# back /buu-chinh/thong-bao/ signed with HMAC-SHA256 under TINHSO_POSTAL_WEBHOOK_SECRET.
TINHSO_POSTAL_SANDBOX = env_bool(ENV, "TINHSO_POSTAL_SANDBOX", not PRODUCTION)
TINHSO_POSTAL_URL = ENV.get("TINHSO_POSTAL_URL", "").strip()
TINHSO_POSTAL_CUSTOMER_CODE = ENV.get("TINHSO_POSTAL_CUSTOMER_CODE", "TINHSO").strip()
TINHSO_POSTAL_API_KEY = ENV.get("TINHSO_POSTAL_API_KEY", "" if PRODUCTION else "sandbox-postal-key").strip()
TINHSO_POSTAL_WEBHOOK_SECRET = ENV.get("TINHSO_POSTAL_WEBHOOK_SECRET", "" if PRODUCTION else "sandbox-postal-hook")
TINHSO_POSTAL_SANDBOX_API_KEY = ENV.get("TINHSO_POSTAL_SANDBOX_API_KEY", "sandbox-postal-key").strip()
# The national registries used at reception (docs/national-registries.md): population (CSDL quốc gia về dân cư),
# business registration (đăng ký doanh nghiệp) and civil status (hộ tịch), through NDXP. For each, with the URL
# unset and the sandbox on, calls go to the sandbox at /sandbox/national/...; with both off the lookup is "not
# configured" and reception goes on without it. Client id and key are issued by the operator.
TINHSO_POPULATION_SANDBOX = env_bool(ENV, "TINHSO_POPULATION_SANDBOX", not PRODUCTION)
TINHSO_POPULATION_URL = ENV.get("TINHSO_POPULATION_URL", "").strip()
TINHSO_POPULATION_CLIENT_ID = ENV.get("TINHSO_POPULATION_CLIENT_ID", "tinhso").strip()
TINHSO_POPULATION_KEY = ENV.get("TINHSO_POPULATION_KEY", "" if PRODUCTION else "sandbox-national-key").strip()
TINHSO_BUSINESS_REGISTRY_SANDBOX = env_bool(ENV, "TINHSO_BUSINESS_REGISTRY_SANDBOX", not PRODUCTION)
TINHSO_BUSINESS_REGISTRY_URL = ENV.get("TINHSO_BUSINESS_REGISTRY_URL", "").strip()
TINHSO_BUSINESS_REGISTRY_CLIENT_ID = ENV.get("TINHSO_BUSINESS_REGISTRY_CLIENT_ID", "tinhso").strip()
TINHSO_BUSINESS_REGISTRY_KEY = ENV.get("TINHSO_BUSINESS_REGISTRY_KEY",
                                       "" if PRODUCTION else "sandbox-national-key").strip()
TINHSO_CIVIL_STATUS_SANDBOX = env_bool(ENV, "TINHSO_CIVIL_STATUS_SANDBOX", not PRODUCTION)
TINHSO_CIVIL_STATUS_URL = ENV.get("TINHSO_CIVIL_STATUS_URL", "").strip()
TINHSO_CIVIL_STATUS_CLIENT_ID = ENV.get("TINHSO_CIVIL_STATUS_CLIENT_ID", "tinhso").strip()
TINHSO_CIVIL_STATUS_KEY = ENV.get("TINHSO_CIVIL_STATUS_KEY", "" if PRODUCTION else "sandbox-national-key").strip()
# The key the three sandbox servers accept (header X-NDXP-Key); lookups are cached this many seconds.
TINHSO_NATIONAL_SANDBOX_KEY = ENV.get("TINHSO_NATIONAL_SANDBOX_KEY", "sandbox-national-key").strip()
TINHSO_REGISTRY_CACHE_SECONDS = int(ENV.get("TINHSO_REGISTRY_CACHE_SECONDS", "300"))

# The integration platform (docs/integration.md). Credentials issued to client systems expire after
# TINHSO_CREDENTIAL_DAYS (0: never); a rotated one keeps working TINHSO_ROTATION_GRACE_HOURS; OAuth access
# tokens live TINHSO_OAUTH_TOKEN_SECONDS. The message log's rows are chained with an HMAC under
# TINHSO_MESSAGE_LOG_KEY (set it in production and keep it: derived from SECRET_KEY when unset) and kept
# TINHSO_MESSAGE_LOG_DAYS days (0: for ever).
TINHSO_CREDENTIAL_DAYS = int(ENV.get("TINHSO_CREDENTIAL_DAYS", "365"))
TINHSO_ROTATION_GRACE_HOURS = int(ENV.get("TINHSO_ROTATION_GRACE_HOURS", "72"))
TINHSO_OAUTH_TOKEN_SECONDS = int(ENV.get("TINHSO_OAUTH_TOKEN_SECONDS", "900"))
TINHSO_MESSAGE_LOG_KEY = ENV.get("TINHSO_MESSAGE_LOG_KEY", "").strip()
TINHSO_MESSAGE_LOG_DAYS = int(ENV.get("TINHSO_MESSAGE_LOG_DAYS", "1825"))
TINHSO_PAYGOV_PAY_URL = ENV.get("TINHSO_PAYGOV_PAY_URL", "").strip()  # the payment page (browser redirect)
TINHSO_PAYGOV_QUERY_URL = ENV.get("TINHSO_PAYGOV_QUERY_URL", "").strip()  # status query (server to server)
TINHSO_PAYGOV_REFUND_URL = ENV.get("TINHSO_PAYGOV_REFUND_URL", "").strip()  # refund (server to server)
TINHSO_PAYGOV_PARTNER_CODE = ENV.get("TINHSO_PAYGOV_PARTNER_CODE", "TINHSO").strip()  # MaDoiTac
TINHSO_PAYGOV_SECRET = ENV.get("TINHSO_PAYGOV_SECRET", "").strip()  # shared secret of MaXacThuc
TINHSO_PAYGOV_HASH_ALGORITHM = ENV.get("TINHSO_PAYGOV_HASH_ALGORITHM", "sha256").strip().lower()
# Fields hashed into MaXacThuc, `|`-joined, then the secret (joined by the separator, "" by default).
TINHSO_PAYGOV_HASH_FIELDS = ENV.get(
    "TINHSO_PAYGOV_HASH_FIELDS", "LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|MaKenhThanhToan|ThoiGianGD").strip()
TINHSO_PAYGOV_SECRET_SEPARATOR = ENV.get("TINHSO_PAYGOV_SECRET_SEPARATOR", "")
TINHSO_PAYGOV_VERSION = ENV.get("TINHSO_PAYGOV_VERSION", "1.0").strip()  # PhienBan
TINHSO_PAYGOV_TIMEOUT = float(ENV.get("TINHSO_PAYGOV_TIMEOUT", "15"))
# A callback whose ThoiGianGD is further than this from now is refused (reconciliation picks it up).
TINHSO_PAYGOV_CALLBACK_WINDOW_MINUTES = int(ENV.get("TINHSO_PAYGOV_CALLBACK_WINDOW_MINUTES", "30"))
# Pending online payments older than this are queried by the reconciliation job (every 10 minutes).
TINHSO_PAYGOV_RECONCILE_AFTER_MINUTES = int(ENV.get("TINHSO_PAYGOV_RECONCILE_AFTER_MINUTES", "15"))
# A request the platform reports unpaid (cancelled / unknown) this long after it started expires.
TINHSO_PAYGOV_EXPIRE_AFTER_MINUTES = int(ENV.get("TINHSO_PAYGOV_EXPIRE_AFTER_MINUTES", "1440"))
# The receipt block of the payment message (ThongTinBienLai).
TINHSO_PAYGOV_BENEFICIARY_ACCOUNT = ENV.get("TINHSO_PAYGOV_BENEFICIARY_ACCOUNT", "").strip()
TINHSO_PAYGOV_BENEFICIARY_BANK = ENV.get("TINHSO_PAYGOV_BENEFICIARY_BANK", "").strip()
TINHSO_PAYGOV_TREASURY = ENV.get("TINHSO_PAYGOV_TREASURY", "").strip()

# --- signatures ---
# Digital signatures (PAdES), the public verification page /xac-thuc/, and the
# sandbox TSA / CSC remote-signing servers under /sandbox/. See docs/signatures.md.
# Keys are PKCS#12 encrypted with TINHSO_PKI_PASSPHRASE (required in production),
# stored in the database ("db") or as files under TINHSO_PKI_DIR ("file").
TINHSO_PKI_DIR = Path(ENV.get("TINHSO_PKI_DIR") or BASE_DIR / "var" / "pki")
TINHSO_PKI_PASSPHRASE = ENV.get("TINHSO_PKI_PASSPHRASE", "" if PRODUCTION else "tinhso-demo-pki")
TINHSO_PKI_STORE = ENV.get("TINHSO_PKI_STORE", "db").strip()
# The demo CA hierarchy issues certificates on demand; never in production.
TINHSO_PKI_DEMO = env_bool(ENV, "TINHSO_PKI_DEMO", not PRODUCTION)
# Trust anchors for verification (PEM files); the demo root is added while TINHSO_PKI_DEMO is on.
TINHSO_TRUSTED_ROOTS = env_list(ENV, "TINHSO_TRUSTED_ROOTS")
TINHSO_VERIFY_FETCH_REVOCATION = env_bool(ENV, "TINHSO_VERIFY_FETCH_REVOCATION", False)
# A page showing a stored PDF keeps its verification report this long in the cache, keyed by the file's
# SHA-256, the trust anchors and the platform's revocations (tinhso/signatures/cached.py); 0 = verify on
# every view.
TINHSO_SIGNATURE_REPORT_CACHE_SECONDS = env_int(ENV, "TINHSO_SIGNATURE_REPORT_CACHE_SECONDS", 86400, minimum=0)
# Sandbox TSA (/sandbox/tsa/) and CSC server (/sandbox/csc/v1/): on by default except in production.
TINHSO_SIGNATURES_SANDBOX = env_bool(ENV, "TINHSO_SIGNATURES_SANDBOX", not PRODUCTION)
# RFC 3161 TSA; empty = the sandbox on this server when the sandbox is on, else no timestamp.
TINHSO_TSA_URL = ENV.get("TINHSO_TSA_URL", "").strip()
# When the TSA cannot be reached at signing time: sign without a time-stamp (PAdES B-B) and log it
# (default), or, with TINHSO_TSA_REQUIRED=true, refuse with a clear message and change nothing.
TINHSO_TSA_REQUIRED = env_bool(ENV, "TINHSO_TSA_REQUIRED", False)
TINHSO_TSA_USERNAME = ENV.get("TINHSO_TSA_USERNAME", "").strip()
TINHSO_TSA_PASSWORD = ENV.get("TINHSO_TSA_PASSWORD", "")
TINHSO_TSA_TIMEOUT = float(ENV.get("TINHSO_TSA_TIMEOUT", "10"))
# CSC API v1 remote signing: base URL before /csc/v1; empty = the sandbox when it is on.
TINHSO_CSC_URL = ENV.get("TINHSO_CSC_URL", "").strip()
TINHSO_CSC_CREDENTIAL_ID = ENV.get("TINHSO_CSC_CREDENTIAL_ID", "").strip()
TINHSO_CSC_PASSWORD = ENV.get("TINHSO_CSC_PASSWORD", "")
TINHSO_CSC_TIMEOUT = float(ENV.get("TINHSO_CSC_TIMEOUT", "30"))
TINHSO_CSC_SANDBOX_PASSWORD = ENV.get("TINHSO_CSC_SANDBOX_PASSWORD", "thunghiem")

# --- citizen app (/app/, docs/citizen-app.md) ---
# How long a citizen stays signed in on the phone (days); staff sessions are unchanged.
TINHSO_CITIZEN_SESSION_DAYS = env_int(ENV, "TINHSO_CITIZEN_SESSION_DAYS", 90)
# The deployed release (e.g. a git tag); with the app's file digest it names the service worker's cache.
TINHSO_APP_RELEASE = ENV.get("TINHSO_APP_RELEASE", "").strip()
# Weather provider speaking Open-Meteo's forecast API; empty = the sandbox on this server when it is on.
TINHSO_WEATHER_URL = ENV.get("TINHSO_WEATHER_URL", "").strip()
TINHSO_WEATHER_SANDBOX = env_bool(ENV, "TINHSO_WEATHER_SANDBOX", not PRODUCTION)
TINHSO_WEATHER_CACHE_SECONDS = env_int(ENV, "TINHSO_WEATHER_CACHE_SECONDS", 1800)
# Web Push (VAPID): keys from the environment, else the file `manage.py vapid_keys` writes.
TINHSO_VAPID_PRIVATE_KEY = ENV.get("TINHSO_VAPID_PRIVATE_KEY", "").strip()
TINHSO_VAPID_PUBLIC_KEY = ENV.get("TINHSO_VAPID_PUBLIC_KEY", "").strip()
TINHSO_VAPID_FILE = Path(ENV.get("TINHSO_VAPID_FILE") or BASE_DIR / "var" / "vapid.json")
TINHSO_VAPID_SUBJECT = ENV.get("TINHSO_VAPID_SUBJECT", "mailto:admin@tinhso.example")
