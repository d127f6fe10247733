"""Production: every service is named by the environment; nothing falls back silently."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import env

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = False
# A new PostgreSQL connection per request costs more CPU than the page (docs/benchmarks.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)  # noqa: F405
# No SELECT 1 before each request's first statement: a connection the database dropped fails
# that one request and is then closed (docs/deployment.md says when to turn the check on).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(  # noqa: F405
    "DATABASE_CONN_HEALTH_CHECKS", default=False
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# The reverse proxy usually redirects to HTTPS; these let Django do it where there is none.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
# Whether every subdomain is HTTPS-only is the deployment's to say, not the code's.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# /healthz is probed over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A Content-Security-Policy on every response: the site's pages allow no inline script,
# Wagtail's admin (under this prefix) still needs it (portal.registry.csp).
CSP_ADMIN_PATH_PREFIX = "/admin/"
MIDDLEWARE = [*MIDDLEWARE, "portal.registry.csp.ContentSecurityPolicyMiddleware"]  # noqa: F405
# Gravatar is unreachable from the mainland and outside the policy: Wagtail's own avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
