"""Settings for the customs broker registry, read from the environment in one place.

The defaults give the embedded setup (SQLite, a file-system Celery broker under
``var/``, console e-mail, DEBUG on). ``DJANGO_ENV=production`` turns on the
production checks and refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    missing = [
        name
        for name in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "AUDIT_HMAC_KEY",
            "REGISTRY_SEAL_CERT",
            "REGISTRY_SEAL_KEY",
        )
        if not env.str(name, default="")
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_ENV=production needs these environment variables: {', '.join(missing)}"
        )
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = env.bool("DEBUG", default=False)
else:
    # A fixed development key: it only ever signs data on a developer's machine.
    SECRET_KEY = env.str(
        "SECRET_KEY", default="django-insecure-development-only-key-do-not-use-in-production"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DEBUG = env.bool("DEBUG", default=True)

# The audit log's chain is keyed with this (HMAC-SHA-256); it never lives in the database.
# Production takes it from the environment (required above); a development machine gets
# one generated under var/ the first time the site runs (`make run`), kept from then on.
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
if not AUDIT_HMAC_KEY and not PRODUCTION:
    _audit_key_file = VAR_DIR / "audit_hmac.key"
    if not _audit_key_file.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _audit_key_file.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
        _audit_key_file.chmod(0o600)
    AUDIT_HMAC_KEY = _audit_key_file.read_text(encoding="utf-8").strip()

# The registry's seal on every letter of authority (contracts/seal.py): PEM files of the
# certificate (followed by its chain, if any) and of its private key. Production requires
# them; a development machine gets a self-made seal under var/ the first time.
REGISTRY_SEAL_CERT = env.str("REGISTRY_SEAL_CERT", default="")
REGISTRY_SEAL_KEY = env.str("REGISTRY_SEAL_KEY", default="")
if not (REGISTRY_SEAL_CERT and REGISTRY_SEAL_KEY) and not PRODUCTION:
    from config.seal import development_seal

    _seal_files = development_seal(VAR_DIR / "seal")
    REGISTRY_SEAL_CERT, REGISTRY_SEAL_KEY = (str(path) for path in _seal_files)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies of ours stand in front of the site, each appending the address it saw to
# X-Forwarded-For (docs/deployment.md). 0: the header is ignored and the peer's address
# counts; with N, the N-th address from the right. Every rate limit, the login history and
# the new-device e-mails read the address this way (accounts/client.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The admin lives at a configurable path so that it is not where scanners look first.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Its Vietnamese catalogue translates zxcvbn's advice.
    "django_zxcvbn_password_validator",
    "audit",
    "accounts",
    "brokers",
    "contracts",
    "compliance",
    "risk",
    "customs",
    "licensing",
    "demo",
]

MIDDLEWARE = [
    # First: every response and log line of a request carries its id (config/request_id.py).
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "config.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Control characters in the path (404), the query or a header (400) reach no view.
    "config.middleware.ControlCharacterGuardMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # No signed-in page and no document download is kept by a browser or proxy cache.
    "config.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
SITE_ID = 1

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
                "config.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "config.forms.BootstrapFormRenderer"

# Database: SQLite under var/ by default, PostgreSQL in production and CI.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django turns psycopg's prepared statements off (its cursors bind parameters on the
    # client, which never prepares); this lets the one cursor that binds on the server, the
    # authorization check's (compliance/selectors.py), keep its statement prepared. Behind
    # PgBouncer in transaction mode that needs PgBouncer 1.21+ with max_prepared_statements.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
# An optional read replica: the anonymous public register, its API and CSV read from it
# (accounts/replica.py); writes and signed-in requests use the primary.
REPLICA_DATABASE_URL = env.str("REPLICA_DATABASE_URL", default="")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = {
        **{
            key: DATABASES["default"][key]
            for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
            if key in DATABASES["default"]
        },
        **env.db_url_config(REPLICA_DATABASE_URL),
    }
    DATABASE_ROUTERS = ["accounts.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The public register's answers stay cached until a write changes the register
# (brokers/cache.py); these only bound how long a rarely asked answer holds memory, and, with
# a replica that may lag, how long an answer read from it is trusted.
REGISTER_CACHE_SECONDS = env.int("REGISTER_CACHE_SECONDS", default=600)
REGISTER_CACHE_REPLICA_SECONDS = env.int("REGISTER_CACHE_REPLICA_SECONDS", default=5)

# Cache: Redis when configured, the database cache otherwise (allauth's rate
# limits need a cache shared by every process).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Passwordless sign-in with a passkey (the sign-in page's "Sign in with a passkey").
    "django_otp_webauthn.backends.WebAuthnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # NIST SP 800-63B: no composition rules, but nothing built from the account's own
    # identifiers and none of the last five passwords.
    {"NAME": "accounts.passwords.RepetitionValidator"},
    {"NAME": "accounts.passwords.AccountIdentifierValidator"},
    # zxcvbn's estimate, offline: 3 is "safe from an attacker without our database".
    {"NAME": "accounts.passwords.StrengthValidator"},
    {"NAME": "accounts.passwords.PasswordReuseValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 3
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "compliance:home"

# django-allauth: sign-in by e-mail, no user names.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Mandatory: nobody signs in before confirming their address, which also lets a sign-up
# with a taken address look exactly like any other (allauth's enumeration prevention; the
# owner of the address is e-mailed instead).
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.SiteLoginForm",
    "signup": "accounts.forms.TraderSignupForm",
    "change_password": "accounts.forms.SiteChangePasswordForm",
    "set_password": "accounts.forms.SiteSetPasswordForm",
    "reset_password": "accounts.forms.SiteResetPasswordForm",
    "reset_password_from_key": "accounts.forms.SiteResetPasswordKeyForm",
    "add_email": "accounts.forms.SiteAddEmailForm",
    "reauthenticate": "accounts.forms.SiteReauthenticateForm",
}
# allauth's default rate limits (failed sign-ins: 10 a minute per IP, 5 in 5 minutes per
# account; password resets; sign-ups) count in the default cache above, shared by every process.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Wrong second-factor codes are slowed down per user and address in
# accounts.services.two_factor, not per device: django-otp's per-device throttle would let
# anyone with the password lock the rightful user out.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Passkeys (django-otp-webauthn): bound to a domain name, which browsers refuse to be an IP
# address; a development site on 127.0.0.1 takes its passkeys on http://localhost:<port>.
_site = urlsplit(SITE_URL)
_site_host = "localhost" if _site.hostname in {"127.0.0.1", "::1"} else _site.hostname or ""
_site_port = f":{_site.port}" if _site.port else ""
OTP_WEBAUTHN_RP_ID = env.str("OTP_WEBAUTHN_RP_ID", default=_site_host)
OTP_WEBAUTHN_RP_NAME = env.str("OTP_WEBAUTHN_RP_NAME", default="Customs broker registry")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", default=[f"{_site.scheme}://{_site_host}{_site_port}"]
)

# Internationalisation: the site speaks English and Vietnamese.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy in both languages, on pages, in e-mails and in PDFs (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    # WhiteNoise warns about a missing STATIC_ROOT until collectstatic has run once.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Signed contracts and other documents that only their parties may read: never
# under a public URL, served through permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=20 * 1024 * 1024)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="registry@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# REST API
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "accounts.web.api_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Session first: an anonymous request keeps getting 403 (the token scheme would
        # turn it into 401); machine clients send "Authorization: Token <key>".
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
    # The schema documents each operation's error answers (accounts/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.RegistryAutoSchema",
    # JSON bodies are bounded in nesting (accounts/api/parsers.py), in size by
    # DATA_UPLOAD_MAX_MEMORY_SIZE.
    "DEFAULT_PARSER_CLASSES": [
        "accounts.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # DRF's own reading of the address, for any throttle that does not go through
    # accounts.client.client_ip; the same count of trusted proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Counted per client address as accounts.client.client_ip reads it (or per user); the
    # public look-up pages count with the same throttles (accounts/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api.throttling.ClientAnonRateThrottle",
        "accounts.api.throttling.ClientUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/minute"),
        "user": env.str("API_USER_RATE", default="600/minute"),
        "letter_check": env.str("LETTER_CHECK_RATE", default="60/minute"),
        "document_check": env.str("DOCUMENT_CHECK_RATE", default="10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Customs broker registry API",
    "DESCRIPTION": "Public register of licensed customs brokers, letters of authority, "
    "declaration ingest, compliance flags and the authorization check.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "BrokerStatusEnum": "brokers.models.BrokerStatus",
        "BrokerAgentStatusEnum": "brokers.models.BrokerAgent.Status",
    },
}

# Celery: a file-system broker under var/ by default, Redis or RabbitMQ when configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_queue = VAR_DIR / "celery" / "queue"
    _celery_processed = VAR_DIR / "celery" / "processed"
    _celery_control = VAR_DIR / "celery" / "control"
    for _folder in (_celery_queue, _celery_processed, _celery_control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue),
        "data_folder_out": str(_celery_queue),
        "processed_folder": str(_celery_processed),
        "control_folder": str(_celery_control),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# A task is acknowledged when it ends, and put back when its worker dies under it, so that
# a killed worker loses nothing; every task is written to be safe to run twice (the scan,
# reminders, notifications and the risk refresh). See docs/security.md.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis hands an unacknowledged task to another worker after this many seconds: above the
# longest task's hard limit (the risk refresh's hour; a test checks every task), so that no
# task runs twice at once.
TASK_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": TASK_VISIBILITY_TIMEOUT}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint-daily": {
        "task": "audit.tasks.audit_checkpoint_daily",
        "schedule": crontab(hour=0, minute=5),
    },
    "sessions-clear-daily": {
        "task": "accounts.tasks.sessions_clear",
        "schedule": crontab(hour=3, minute=0),
    },
    "contracts-expiry-reminders-daily": {
        "task": "contracts.tasks.contract_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "compliance-declarations-scan": {
        "task": "compliance.tasks.declarations_scan",
        "schedule": env.int("DECLARATIONS_SCAN_EVERY_SECONDS", default=5 * 60),
    },
    "licensing-activity-reports-daily": {
        "task": "licensing.tasks.activity_reports_follow_up",
        "schedule": crontab(hour=7, minute=15),
    },
    # The dashboard's flag figures, recounted ahead of the officers (compliance.dashboard).
    "compliance-dashboard-figures": {
        "task": "compliance.tasks.dashboard_figures_refresh",
        "schedule": 60,
    },
    "risk-refresh-nightly": {
        "task": "risk.tasks.risk_refresh",
        "schedule": crontab(hour=env.int("RISK_REFRESH_HOUR", default=2), minute=30),
    },
}

# Periodic activity reports of brokers (docs/licensing.md): the report on a year is due on
# this (month, day) of the next one; a suspension is proposed this many days after.
ACTIVITY_REPORT_DUE = (1, 31)
ACTIVITY_REPORT_GRACE_DAYS = env.int("ACTIVITY_REPORT_GRACE_DAYS", default=30)

# Risk analysis (docs/risk.md explains each threshold): the window analysed, what makes a
# certificate shared, a trader's switch of declarant, and how far above its peers a share
# must be to count.
RISK_WINDOW_DAYS = env.int("RISK_WINDOW_DAYS", default=90)
RISK_SIGNER_MIN_TRADERS = env.int("RISK_SIGNER_MIN_TRADERS", default=3)
RISK_SIGNER_MISUSE_SHARE = env.float("RISK_SIGNER_MISUSE_SHARE", default=0.5)
RISK_SWITCH_RECENT_DAYS = env.int("RISK_SWITCH_RECENT_DAYS", default=14)
RISK_SWITCH_MIN_HISTORY = env.int("RISK_SWITCH_MIN_HISTORY", default=5)
RISK_SWITCH_SHARE = env.float("RISK_SWITCH_SHARE", default=0.5)
RISK_AGENT_WITHOUT_AUTHORITY_SHARE = env.float("RISK_AGENT_WITHOUT_AUTHORITY_SHARE", default=0.05)
RISK_MIN_DECLARATIONS = env.int("RISK_MIN_DECLARATIONS", default=10)
RISK_GREEN_SHARE_MARGIN = env.float("RISK_GREEN_SHARE_MARGIN", default=0.15)
RISK_FLAG_RATE_MARGIN = env.float("RISK_FLAG_RATE_MARGIN", default=0.05)
RISK_OPEN_FLAGS_MARGIN = env.int("RISK_OPEN_FLAGS_MARGIN", default=5)
RISK_MIN_PEERS = env.int("RISK_MIN_PEERS", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Each line names the request it was written for: the id its error page shows.
    "filters": {"request_id": {"()": "config.request_id.RequestIdLogFilter"}},
    "formatters": {
        "request": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "request",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Security: everything `check --deploy` asks for in production.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (every script is a static file; a template that ever needs an
# inline one takes the request's nonce, {{ request.csp_nonce }}). Styles allow inline
# attributes: Swagger UI and a few layout widths use them, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF, "'unsafe-inline'"],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_AGE = 8 * 60 * 60
