"""The permission matrix as data: for every URL name of this project (the admin's viewsets of
portal, learning, talent and search, the site's pages, /api/v1), what each role gets for an
object in its scope and, where the world has one, an object outside it.
tests/test_permissions.py runs it and fails for a URL name without a row.

Each row reads across the roles in ``ROLES`` order, in four groups:

    anonymous member other_member · secretary host_secretary township_admin county_admin ·
    editor reviewer recruiter · liaison superuser

so "LLL OMOO DDD LO" is: visitors and members to the login, the org admins but the host
secretary in, the host secretary not found, editor, reviewer and recruiter refused, the
liaison to the login, the superuser in.

O the page (200)          L sent to a login page       D refused (403, or the admin's
M not found (404)         R redirected elsewhere         "no permission" back to /admin/)
N method not allowed      B bad request (400)          E server error (500)
X any refusal (L, D or M), for rows of rules still being built

The in-scope object is the demo member's (branch T01-V01, township T01, hosted at H01-B01);
the out-of-scope one is township T02's. GET for pages, POST only where a row is about writing.
"""

from .apps_rows import ROWS as APP_ROWS
from .core import (
    ANY_REFUSAL,
    DENIED,
    IN,
    LETTERS,
    LOGIN,
    MISSING,
    NOT_ALLOWED,
    OK,
    OUT,
    PARAMS,
    REDIRECT,
    REFUSALS,
    SCOPED_KINDS,
    Row,
)
from .portal_rows import ROWS as PORTAL_ROWS
from .site_rows import ROWS as SITE_ROWS

ROWS: dict[str, Row] = {r.key: r for r in [*SITE_ROWS, *PORTAL_ROWS, *APP_ROWS]}

__all__ = [
    "ANY_REFUSAL",
    "DENIED",
    "IN",
    "LETTERS",
    "LOGIN",
    "MISSING",
    "NOT_ALLOWED",
    "OK",
    "OUT",
    "PARAMS",
    "REDIRECT",
    "REFUSALS",
    "ROWS",
    "SCOPED_KINDS",
    "Row",
]
