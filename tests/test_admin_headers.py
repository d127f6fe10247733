"""Every admin page of this project opens with Wagtail's header, as Wagtail's own views do: a
visible title (h1) with the page's icon, or Wagtail's slim header with its breadcrumbs.

The pages are those of the permission matrix (tests/permission_matrix/), opened by the
superuser on the in-scope object of the demo county."""

import pytest
from bs4 import BeautifulSoup
from django.urls import URLResolver, get_resolver
from django.utils.translation import gettext

from tests import permission_matrix as matrix
from tests.test_permissions import url_for, world  # noqa: F401 - the module's demo county

# The custom pages the issue names, with the title (its msgid) each must show.
NAMED_PAGES = {
    "talent_desk:index": "Talent search",
    "talent_desk:compare": "Compare candidates",
    "portal_member:activation": "Issue an activation code",
    "learning_dashboard:index": "Branch dashboard",
    "portal_jobs:index": "My background jobs",
    "portal_ledger_import:index": "Import the ledger",
    "portal_ledger_export:index": "Export the ledger",
    "portal_talk:due": "Members due a talk this quarter",
}


def wagtail_header(html: str) -> tuple[str, bool] | None:
    """(title, has an icon) of the page's Wagtail header, or None without one."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.select_one("header.w-header h1.w-header__title")
    if title is not None:
        subtitle = title.select_one(".w-header__subtitle")
        if subtitle is not None:
            subtitle.extract()
        icon = title.select_one("svg.w-header__glyph")
        return title.get_text(" ", strip=True), icon is not None
    slim = soup.select_one("header.w-slim-header")
    if slim is not None and slim.select_one("h1") is not None:
        crumbs = slim.select_one("[data-w-breadcrumbs] ol")
        return slim.select_one("h1").get_text(strip=True), crumbs is not None
    return None


def _callbacks(patterns, namespace="") -> dict:
    found = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            found = {**_callbacks(pattern.url_patterns, inner), **found}
        elif pattern.name:
            found.setdefault(f"{namespace}:{pattern.name}".lstrip(":"), pattern.callback)
    return found


def admin_get_rows():
    """GET rows of the project's own admin views (functions, not Wagtail's generic class
    views) that the superuser opens: a page, or a page that says what was wrong (400)."""
    callbacks = _callbacks(get_resolver().url_patterns)
    for row in matrix.ROWS.values():
        own = row.name.startswith(("portal_", "learning_", "talent_"))
        if row.method != "GET" or not own or hasattr(callbacks[row.name], "view_class"):
            continue
        if row.expected(matrix.IN)["superuser"] in (matrix.OK, matrix.LETTERS["B"]):
            yield pytest.param(row, id=row.key)


def header_of(county, row) -> tuple[str, bool] | None:
    response = county.clients["superuser"].get(url_for(county, row, matrix.IN))
    is_html = response.get("Content-Type", "").startswith("text/html")
    html = response.content.decode() if is_html else ""
    if response.status_code not in (200, 400) or 'id="wagtail-sidebar"' not in html:
        pytest.skip(f"{row.name}: not an admin page ({response.status_code})")
    return wagtail_header(html)


@pytest.mark.django_db
@pytest.mark.parametrize("row", list(admin_get_rows()))
def test_admin_page_has_wagtails_header(world, row):  # noqa: F811 - the fixture imported
    """The page shows Wagtail's header with a non-empty title and its icon."""
    header = header_of(world, row)
    assert header is not None, f"{row.name}: no Wagtail header"
    title, decorated = header
    assert title, f"{row.name}: the header has no title"
    assert decorated, f"{row.name}: the header has no icon (or breadcrumbs)"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "title"), NAMED_PAGES.items())
def test_named_pages_show_their_title(world, name, title):  # noqa: F811 - the fixture
    """The pages the issue names show their own title, in Chinese, in Wagtail's header."""
    assert header_of(world, matrix.ROWS[name]) == (gettext(title), True)
