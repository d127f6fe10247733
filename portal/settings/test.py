"""Tests: PostgreSQL unless DATABASE_URL says otherwise; tasks run eagerly unless a test
starts a worker."""

from pathlib import Path

from portal.settings.base import *  # noqa: F403
from portal.settings.base import SQLITE_OPTIONS, env

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/guiyan"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **SQLITE_OPTIONS}
    # A file, not memory: the browser tests' live server and a real Celery worker share it.
    # Named after DATABASE_URL's file, so runs against different files never share one.
    _name = DATABASES["default"]["NAME"]
    if _name and _name != ":memory:":
        _test_name = Path(_name).with_name(f"{Path(_name).stem}-test{Path(_name).suffix}")
    else:
        _test_name = BASE_DIR / "var" / "test-sqlite.db"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_test_name)}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
# Test indexes are a few documents: analysed in the test's process (tests of the worker
# processes ask for them).
SEARCH_REINDEX_WORKERS = 0
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
