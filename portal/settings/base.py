"""Settings shared by every run mode.

Every value comes from the environment with a typed default, so the embedded default
(SQLite, in-process tasks, database search) needs no variables at all and production is
chosen by setting them. The variables are listed in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="guiyan-embedded-demo-key-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "learning",
    "talent",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.apps.UsersConfig",  # wagtail.users with the project's user list and group editor
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A study progress event from a signed-in member is answered here, without the rest of
    # the stack or DRF; anything else goes on (learning/api/progress_lean.py, ADR 0021).
    "learning.api.progress_lean.ProgressShortcutMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Wagtail's pages for visitors without cookies, from the cache (CSP header included).
    "portal.content.middleware.AnonymousPageCacheMiddleware",
    "portal.content.middleware.SiteCacheMiddleware",
    # The page at a path and its view restrictions, for everyone else.
    "portal.content.middleware.PageRouteCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # No CSV leaves the site with a cell a spreadsheet program would run (issue 14).
    "portal.registry.spreadsheets.CsvFormulaGuardMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

# Pages and JSON go out gzipped, with Django's BREACH mitigation (docs/adr/0018), unless a
# reverse proxy compresses them instead (about 0.8 ms of CPU per 20 KB page either way).
# After WhiteNoise, which answers static files itself, compressed once at collectstatic.
if env.bool("GZIP_RESPONSES", default=True):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "portal.content.middleware.TextGZipMiddleware",
    )

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "portal.User"

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
                "portal.inbox.context_processors.inbox",
                "portal.registry.context_processors.admin_link",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL=postgres://user@host:5432/name in production; SQLite file by default.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'guiyan.sqlite3'}"
    ),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the demo, a small county): WAL lets readers go on beside the one writer; begun
# IMMEDIATE, a transaction queues on the busy timeout for the write lock instead of failing
# with "database is locked" when it turns from reading to writing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

# --- Cache ----------------------------------------------------------------------------
# REDIS_URL switches the cache (and, unless CELERY_BROKER_URL says otherwise, the broker).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions read from the shared cache, written through to the database: one query less on
    # every signed-in request (a per-process cache could keep a logged-out session alive).
    SESSION_ENGINE = "portal.registry.cached_sessions"
else:
    # The per-member caches (step facts, learning versions, member fragments) hold a few
    # entries for each active member; Django's default of 300 entries would evict them
    # before they are read again once a few hundred members are about.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    # Database sessions, read with one plain SQL statement.
    SESSION_ENGINE = "portal.registry.sessions"

# --- Celery ---------------------------------------------------------------------------
# No broker means the embedded default: tasks run in-process when they are sent.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="guiyan")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# The periodic tasks (Celery beat), each with when and why: portal/settings/beat.py.
from portal.settings.beat import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

# Wagtail's own background work (reference index, search index updates) uses django-tasks.
# It runs in the request in every mode: the project's durable work goes through Celery.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Search ---------------------------------------------------------------------------
# One setting chooses the engine of Wagtail's admin search and of the project's search
# (search.selectors.search_engine, which reads nothing else): Elasticsearch 8 when
# ELASTICSEARCH_URL is set, else the database engine (PostgreSQL full text or SQLite FTS5,
# whichever database this is). Wagtail reads URLS and TIMEOUT; INDEX, which Wagtail ignores,
# prefixes the names of the project's Elasticsearch indexes.
_elasticsearch_url = env.str("ELASTICSEARCH_URL", default="")
if _elasticsearch_url:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [_elasticsearch_url],
            "INDEX": env.str("ELASTICSEARCH_INDEX_PREFIX", default="guiyan"),
            "TIMEOUT": env.int("ELASTICSEARCH_TIMEOUT", default=5),
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Search synonyms: who besides holders of the search.*_synonym permissions edits the list.
# A dotted path to a check taking the user; search imports no portal model, so it is wired here.
SEARCH_VOCABULARY_EDITORS = "portal.registry.selectors.manages_a_county"
# The database engine on PostgreSQL holds the terms at least this share of an index's
# entries hold as arrays in each process's memory (search/engines/columns.py), for indexes
# of at least SEARCH_MEMORY_TERM_MIN_ENTRIES entries; smaller ones are quick in SQL anyway.
# One in fifty: queries that need only some of their words (questions need half, ADR 0017
# and 0024) read every entry of each broad one; held, about 100 kB a term per 100,000
# entries, only once a search asks for it.
SEARCH_MEMORY_TERM_SHARE = env.float("SEARCH_MEMORY_TERM_SHARE", default=0.02)
SEARCH_MEMORY_TERM_MIN_ENTRIES = env.int("SEARCH_MEMORY_TERM_MIN_ENTRIES", default=5000)
# Processes that analyse the text during a full rebuild (search_reindex), while the rebuilding
# process loads rows and writes the index; 0 or 1 analyses in the rebuilding process itself.
# A Celery worker always analyses in its own process (daemonic processes cannot fork).
SEARCH_REINDEX_WORKERS = env.int("SEARCH_REINDEX_WORKERS", default=min(2, os.cpu_count() or 1))

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the user of each request loaded in one plain SQL statement.
    "portal.registry.backends.ModelBackend",
    # Sessions signed in before the backend above existed name Django's: they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Members-only pages send visitors to the site's own login, not Wagtail's.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL

# Lock a login (the phone number or username) after repeated failures, whatever the address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by address as well would lock out every member behind one carrier NAT or one
# service-centre Wi-Fi after five typos between them: the login is what is protected.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.registry.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

ACTIVATION_CODE_TTL = timedelta(days=env.int("ACTIVATION_CODE_TTL_DAYS", default=7))
# Wrong activation codes never wear a member's code out (a stranger could lock them out);
# a client is held back instead: so many wrong codes per address, and per address and phone,
# within the window answer 429 (portal.registry.throttles).
ACTIVATION_FAILURES_PER_ADDRESS = env.int("ACTIVATION_FAILURES_PER_ADDRESS", default=30)
ACTIVATION_FAILURES_PER_PHONE = env.int("ACTIVATION_FAILURES_PER_PHONE", default=5)
ACTIVATION_THROTTLE_WINDOW = timedelta(minutes=env.int("ACTIVATION_THROTTLE_MINUTES", default=60))

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# The project's catalog first; then Chinese for library strings (Wagtail, Django) that their
# own zh_Hans catalogs lack or get wrong (tests/test_translations.py keeps it complete).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# MEDIA_ROOT on shared storage (an NFS or similar mount) when several web processes run.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Collected files get a content hash in their names and a gzipped copy: WhiteNoise sends them
# compressed and cacheable for a year, so a repeat visit fetches none of them again.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploads are read only through portal.video.serving (videos and poster frames as their pages'
# privacy allows) and Wagtail's document view (collection privacy). Behind nginx, set this to
# the path of an `internal` location aliasing MEDIA_ROOT: Django checks the reader and answers
# with X-Accel-Redirect, nginx sends the bytes (docs/deployment.md). Empty: Django sends them.
MEDIA_ACCEL_REDIRECT_PREFIX = env.str("MEDIA_ACCEL_REDIRECT_PREFIX", default="")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Largest video an editor or a member may upload (MP4, WebM or MOV), in megabytes; the
# reverse proxy's own request-size limit must allow at least this much.
VIDEO_MAX_UPLOAD_MB = env.int("VIDEO_MAX_UPLOAD_MB", default=500)

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "归雁"
# Wagtail's login form with a Chinese label on its password field.
WAGTAILADMIN_USER_LOGIN_FORM = "portal.registry.forms.AdminLoginForm"
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents only through Wagtail's view, which applies collection privacy (a section's
# documents are for members); the bytes go out as portal.video.sendfile decides.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
SENDFILE_BACKEND = "portal.video.sendfile"
WAGTAIL_I18N_ENABLED = False
# The dashboard would ask wagtail.org for a newer release from the browser of every superuser:
# servers inside a party-school network have no way out, and upgrades go through deployment.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Its "what's new" banner points to Wagtail's English guide on the internet.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Moving a page or changing its slug leaves a redirect from the old URL (Wagtail's default).
WAGTAILREDIRECTS_AUTO_CREATE = True

# --- The product's rules (learning, ledger, talent pool) -----------------------------
from portal.settings.rules import *  # noqa: E402, F403

# --- API ------------------------------------------------------------------------------
# A request body nested deeper than this is refused with a 400 (events are three deep).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=20)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.registry.api_parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "归雁 API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["portal.api_urls.api_v1_only"],
}

# --- Logging --------------------------------------------------------------------------
# Every handler passes through the personal-data filter: no 身份证号 or phone in any log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "portal.registry.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["personal_data"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
