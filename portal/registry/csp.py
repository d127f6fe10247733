"""The Content-Security-Policy header (production settings put this middleware in).

The site's own pages run no inline script (scripts are static files, handlers are bound from
them), so their policy allows scripts only from the site itself. Wagtail's admin still writes
inline scripts in its forms (inline panels, date widgets: wagtail/wagtail#1288), so the admin
gets ``'unsafe-inline'`` for scripts; everything else is the same. Inline ``style``
attributes are allowed everywhere: they cannot run code.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


def _policy(script_src: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": script_src,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "media-src": "'self' blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "frame-src": "'self'",
        "frame-ancestors": "'self'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


SITE_POLICY = _policy("'self'")
ADMIN_POLICY = _policy("'self' 'unsafe-inline'")


def policy_for(path: str) -> str:
    admin = path.startswith(getattr(settings, "CSP_ADMIN_PATH_PREFIX", "/admin/"))
    return ADMIN_POLICY if admin else SITE_POLICY


class ContentSecurityPolicyMiddleware:
    """Adds the policy of the request's part of the site to every response without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(request.path)
        return response
