import os
import subprocess
import sys
from pathlib import Path

import pytest

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]


def _check(settings_module: str, extra_env: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, **extra_env}
    for test_only in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(test_only, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    """With the variables a real deployment sets, Django's --deploy checks find nothing."""
    env = {
        "SECRET_KEY": "k3Y-" + "x" * 56 + "-production",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    result = _check("portal.settings.production", env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _setting(name: str, extra_env: dict) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **extra_env}
    for test_only in ("DATABASE_URL", "REDIS_URL"):
        if test_only not in extra_env:
            env.pop(test_only, None)
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sessions_are_read_from_redis_only_when_the_cache_is_shared():
    """With Redis, a signed-in request reads its session from the cache; with each process's
    own memory a logged-out session could live on in another process, so it stays in the
    database (Django's database sessions, read with plain SQL)."""
    shared = _setting("SESSION_ENGINE", {"REDIS_URL": "redis://127.0.0.1:6379/11"})
    assert shared == "portal.registry.cached_sessions"
    assert _setting("SESSION_ENGINE", {}) == "portal.registry.sessions"


def test_production_collects_static_files_under_hashed_names():
    """Hashed names let WhiteNoise send static files cacheable for a year: a repeat visit
    downloads none of them (the page-weight budget, tests/browser/test_page_weight.py)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "k"}
    for test_only in ("DATABASE_URL", "REDIS_URL", "STATICFILES_STORAGE"):
        env.pop(test_only, None)
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.STORAGES['staticfiles']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_pages_are_gzipped_by_django_unless_the_proxy_does_it():
    gzip = "portal.content.middleware.TextGZipMiddleware"
    assert gzip in _setting("MIDDLEWARE", {})
    assert gzip not in _setting("MIDDLEWARE", {"GZIP_RESPONSES": "false"})


def _production_setting(expression: str, extra_env: dict) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "k"}
    for test_only in ("DATABASE_URL", "REDIS_URL", "DATABASE_CONN_HEALTH_CHECKS"):
        env.pop(test_only, None)
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_keeps_connections_without_a_health_check_unless_told():
    """No SELECT 1 before every request's first statement (docs/deployment.md says what a
    dropped connection costs without it, and when to turn it on)."""
    expression = "settings.DATABASES['default']['CONN_HEALTH_CHECKS'], "
    expression += "settings.DATABASES['default']['CONN_MAX_AGE']"
    assert _production_setting(expression, {}) == "False 600"
    on = {"DATABASE_CONN_HEALTH_CHECKS": "true"}
    assert _production_setting(expression, on) == "True 600"


def test_the_embedded_cache_keeps_what_a_few_thousand_members_need():
    """Without Redis each process keeps its own cache. The progress API's step facts, the
    learning versions and the member fragments hold a few entries per active member; with
    Django's default of 300 entries they were evicted before their next read, and every
    progress event read its step again (docs/benchmarks.md, issue 12)."""
    code = (
        "from django.core.cache import cache\n"
        "for n in range(2000):\n"
        "    cache.set_many({f'facts:{n}': n, f'version:{n}': n, f'fragment:{n}': n}, 600)\n"
        "print(sum(cache.get(f'facts:{n}') == n for n in range(2000)))"
    )
    expression = f"exec({code!r}) or ''"
    assert _production_setting(expression, {}).splitlines()[0] == "2000"
