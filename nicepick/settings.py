"""
Settings for nicepick, configured by environment variables.

One file for every environment: development defaults are safe (DEBUG is off unless
DJANGO_DEBUG=1 says otherwise), and production fails loudly when something it needs
is missing. See README.md for the list of variables.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For development, run with DJANGO_DEBUG=1 (the Makefile does)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

# Absolute address of the site, used where a link must leave the page (feeds, e-mail).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin site with the editors' dashboard on its index (nicepick/admin.py).
    "nicepick.apps.NicepickAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # About and Contact: pages editors change in the admin, without a deploy (README, "Pages").
    "django.contrib.sites",
    "django.contrib.flatpages",
    "csp",
    "markdownx",
    "taggit",
    "reversion",
    "axes",
    "django_prometheus",
    # Django's tasks framework, backported (Django 6 has it as django.tasks), and its database
    # backend: the queue that notifications leave through (comparisons/mail.py).
    "django_tasks",
    "django_tasks_db",
    "comparisons",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comparisons.pagecache.StaffCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "comparisons.middleware.DatabaseUnavailableMiddleware",
    "comparisons.middleware.ProxyCheckMiddleware",
    # Last but for the metrics, as django-axes asks: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins for a locked-out username and client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "nicepick.urls"

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
                "comparisons.views.meta.site_context",
            ],
        },
    },
]

# Django's form renderer, with its plainest widgets drawn in Python (comparisons/formrender.py).
FORM_RENDERER = "comparisons.formrender.Renderer"

WSGI_APPLICATION = "nicepick.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent, health-checked connections in production; fresh ones in development.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}

# A database that hangs must not hold every worker: connecting gives up after
# DATABASE_CONNECT_TIMEOUT seconds, a statement after DATABASE_STATEMENT_TIMEOUT milliseconds,
# and (PostgreSQL) a connection whose server stops acknowledging after the same time.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    _options.setdefault("tcp_user_timeout", DATABASE_STATEMENT_TIMEOUT)
    _options.setdefault("keepalives_idle", 30)
    _server = [f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"]
    # Costs for SSD storage (PostgreSQL's defaults assume spinning disks). Without this the
    # planner prefers scanning the table to the search GIN index, because the search vectors
    # are stored out of line and a scan looks cheaper than it is. Behind PgBouncer, set it
    # on the database instead (ALTER DATABASE … SET random_page_cost = 1.1) and leave this empty.
    _page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
    if _page_cost:
        _server.append(f"-c random_page_cost={float(_page_cost)}")
    _options["options"] = " ".join(_server)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # How long a writer waits for SQLite's lock before giving up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", DATABASE_CONNECT_TIMEOUT)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The one site of django.contrib.sites, which flatpages (About, Contact) need.
SITE_ID = 1

# The `comparison_live` index carries extra columns for PostgreSQL's index-only counts; SQLite
# builds it without them, which is all development needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Times are stored in UTC and shown to editors and readers in this zone.
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development whitenoise serves straight from the apps' static folders.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Tags: "Django" and "django" are one tag.
TAGGIT_CASE_INSENSITIVE = True

# The editor's live preview renders with the very function that renders articles on save.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "comparisons.rendering.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/png", "image/jpeg")
MARKDOWNX_UPLOAD_MAX_SIZE = int(os.environ.get("NICEPICK_UPLOAD_MAX_BYTES", 2 * 1024 * 1024))
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}
MARKDOWNX_MEDIA_PATH = "uploads/"
# Images with more pixels are refused from their header, before anything is decoded.
NICEPICK_UPLOAD_MAX_PIXELS = int(os.environ.get("NICEPICK_UPLOAD_MAX_PIXELS", "25000000"))

# Caches. The page cache ("default") is Redis when REDIS_URL is set, else a file every process
# on the machine shares (below); the invalidation state (comparisons/stores.py) lives in Redis
# then, and otherwise in a SQLite file under NICEPICK_STATE_DIR, shared the same way. Both are
# helpers: when they fail, pages are rendered from the database (see comparisons/stores.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds to wait for Redis (or the state file's lock) before treating it as a miss.
NICEPICK_REDIS_TIMEOUT = float(os.environ.get("NICEPICK_REDIS_TIMEOUT", "0.25"))
# After a helper fails, it is left alone for this many seconds (one timeout per interval).
NICEPICK_HELPER_COOLDOWN = float(os.environ.get("NICEPICK_HELPER_COOLDOWN", "5"))
# Tag versions read from the state are trusted in-process for this long.
NICEPICK_VERSION_MEMO_SECONDS = float(os.environ.get("NICEPICK_VERSION_MEMO_SECONDS", "1"))
NICEPICK_STATE_DIR = os.environ.get("NICEPICK_STATE_DIR", str(BASE_DIR / ".state"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": NICEPICK_REDIS_TIMEOUT,
                "socket_connect_timeout": NICEPICK_REDIS_TIMEOUT,
            },
        },
    }
else:
    # One copy for every worker on the machine (a page is rendered once per change, not once
    # per worker): a SQLite file beside the invalidation state, measured against Django's
    # file-based and database caches in bench/RESULTS.md. NICEPICK_LOCAL_CACHE picks another.
    _max_entries = int(os.environ.get("NICEPICK_CACHE_MAX_ENTRIES", "20000"))
    _state_dir = Path(NICEPICK_STATE_DIR)
    LOCAL_CACHES = {
        "sqlite": {
            "BACKEND": "comparisons.sqlitecache.SQLiteCache",
            "LOCATION": str(_state_dir / "pages.sqlite3"),
        },
        "file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_state_dir / "pages"),
        },
        "database": {
            # Needs `manage.py createcachetable` once.
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "nicepick_page_cache",
        },
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    _local_cache = os.environ.get("NICEPICK_LOCAL_CACHE", "sqlite")
    if _local_cache not in LOCAL_CACHES:
        raise ImproperlyConfigured(
            f"NICEPICK_LOCAL_CACHE={_local_cache!r}: use one of {', '.join(LOCAL_CACHES)}."
        )
    CACHES = {
        "default": {
            **LOCAL_CACHES[_local_cache],
            "OPTIONS": {"MAX_ENTRIES": _max_entries, "CULL_FREQUENCY": 4},
        }
    }
# Browsers and CDNs are told to keep readers' pages this long (`max-age`). The server keeps its
# own copy until what it shows changes or a scheduled comparison goes live (an hour at most).
NICEPICK_PAGE_CACHE = env_bool("NICEPICK_PAGE_CACHE", default=True)
NICEPICK_CACHE_SECONDS = int(os.environ.get("NICEPICK_CACHE_SECONDS", "60"))
# Adds /bench/control/, the trivial view `make bench` compares every page with.
NICEPICK_BENCH_ENDPOINTS = env_bool("NICEPICK_BENCH_ENDPOINTS")

# Security headers. HTTPS settings are on in production unless the environment says otherwise.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
# Load balancers probe plain HTTP: the health check answers there instead of redirecting.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# /metrics (Prometheus) wants this bearer token; without one, only requests from this machine.
NICEPICK_METRICS_TOKEN = os.environ.get("NICEPICK_METRICS_TOKEN", "")
# /healthz calls the mail queue degraded when a message has waited longer than this.
NICEPICK_MAIL_STUCK_SECONDS = int(os.environ.get("NICEPICK_MAIL_STUCK_SECONDS", "900"))
# /healthz gives up on the database after this many seconds (and says so).
NICEPICK_HEALTHZ_TIMEOUT = float(os.environ.get("NICEPICK_HEALTHZ_TIMEOUT", "2"))
if env_bool("DJANGO_BEHIND_PROXY"):
    # The proxy in front terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = {
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
# Content-Security-Policy (django-csp): no inline script or style anywhere, admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Editorial workflow.
# Published comparisons whose facts were last checked longer ago than this are "stale".
NICEPICK_STALE_AFTER_DAYS = int(os.environ.get("NICEPICK_STALE_AFTER_DAYS", "180"))

# Admin login throttling (django-axes): after this many failed logins for one username from
# one client address, that pair is refused (even with the right password) for the cool-off;
# another user, or the same user elsewhere, is unaffected. A success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("NICEPICK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NICEPICK_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are logged as warnings; no banner on every command
# The client address as the feedback form reads it (NICEPICK_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "comparisons.loginguard.client_ip"
AXES_LOCKOUT_CALLABLE = "comparisons.loginguard.lockout_response"

# Readers' feedback (the "Disagree?" form).
NICEPICK_FEEDBACK_MIN_SECONDS = float(os.environ.get("NICEPICK_FEEDBACK_MIN_SECONDS", "3"))
NICEPICK_FEEDBACK_MAX_AGE = int(os.environ.get("NICEPICK_FEEDBACK_MAX_AGE", str(24 * 3600)))
# "5/600": at most 5 accepted submissions per client in 600 seconds.
_rate = os.environ.get("NICEPICK_FEEDBACK_RATE_LIMIT", "5/600").split("/")
NICEPICK_FEEDBACK_RATE_LIMIT = (int(_rate[0]), int(_rate[1]))
# How many reverse proxies of ours sit in front of Django (0: trust REMOTE_ADDR only).
NICEPICK_TRUSTED_PROXIES = int(os.environ.get("NICEPICK_TRUSTED_PROXIES", "0"))
# Key for hashing readers' IP addresses; derived from the secret key unless set.
NICEPICK_IP_HASH_KEY = os.environ.get("NICEPICK_IP_HASH_KEY", "") or f"ip-hash:{SECRET_KEY}"
# Who is told about new feedback; the Editors group when empty.
FEEDBACK_NOTIFY = env_list("FEEDBACK_NOTIFY")
# The address the Contact page gives readers.
NICEPICK_CONTACT_EMAIL = os.environ.get("NICEPICK_CONTACT_EMAIL", "editors@nicepick.example")

# Mail: printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nicepick <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications leave through a task queue after the change that caused them has committed
# (comparisons/mail.py). "database" keeps each one in the database until the worker
# (`manage.py db_worker`, started by `make serve`) has handed it to the mail server, retrying
# with back-off; "immediate" sends inside the request, as development and tests want. On
# Django 6 only the backend paths change (django.tasks.backends…).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = os.environ.get("NICEPICK_TASKS_BACKEND", "") or (
    "immediate" if DEBUG else "database"
)
if _tasks_backend not in TASK_BACKENDS and "." not in _tasks_backend:
    raise ImproperlyConfigured(
        f"NICEPICK_TASKS_BACKEND={_tasks_backend!r}: use one of {', '.join(TASK_BACKENDS)} "
        "or the dotted path of a task backend."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend)}}
# A message the mail server refuses is tried again after 1 minute, then 5 times longer each time
# (5 min, 25 min, ~2 h, then every 6 h), and kept as failed after this many attempts.
NICEPICK_MAIL_MAX_ATTEMPTS = int(os.environ.get("NICEPICK_MAIL_MAX_ATTEMPTS", "8"))
NICEPICK_MAIL_RETRY_SECONDS = int(os.environ.get("NICEPICK_MAIL_RETRY_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Errors to Sentry, only when SENTRY_DSN is set. Nothing personal leaves: no user, cookies or
# IP addresses (send_default_pii), no request bodies (readers' notes carry e-mail addresses)
# and no local variables of stack frames.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
