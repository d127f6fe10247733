"""The member's tab bar (首页 · 学习 · 包裹 · 消息 · 我的) and which tab a page belongs to,
from its path or its page type.

No query of its own: the path and the page already in the template context say which tab is
current; the inbox badge is the inbox wing's lazy count, asked only when the bar shows.
"""

from django import template
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from portal.content.models import RedPackageCatalogPage, RedPackagePage

register = template.Library()

# First match wins: the more specific prefixes come before /me/.
TAB_PREFIXES = (
    ("/me/packages/", "packages"),
    ("/packages/", "packages"),
    ("/inbox/", "inbox"),
    ("/learning/", "study"),
    ("/me/", "me"),
    ("/lectures/", "me"),
    ("/care/", "me"),
)
PACKAGE_PAGES = (RedPackageCatalogPage, RedPackagePage)
TABS = (
    ("home", "/", pgettext_lazy("tab", "Home")),
    ("study", "learning:record", pgettext_lazy("tab", "Study")),
    ("packages", "my_packages", pgettext_lazy("tab", "Packages")),
    ("inbox", "inbox", pgettext_lazy("tab", "Inbox")),
    ("me", "me", pgettext_lazy("tab", "Me")),
)


def tab_of(path: str, page) -> str:
    """The tab a page belongs to: home, study, packages, inbox, me, or "" for none."""
    if path == "/":
        return "home"
    for prefix, tab in TAB_PREFIXES:
        if path.startswith(prefix):
            return tab
    if isinstance(page, PACKAGE_PAGES):
        return "packages"
    # Sections, collections, study content, tracks and quizzes are what one studies.
    return "study" if page is not None and hasattr(page, "url_path") else ""


@register.inclusion_tag("portal/_tabbar.html", takes_context=True)
def member_tabs(context) -> dict:
    """The tabs with their addresses; the current one is marked ``page`` on its own address
    and ``true`` on the pages below it (aria-current)."""
    request = context["request"]
    current = tab_of(request.path, context.get("page"))
    tabs = []
    for name, target, label in TABS:
        href = target if target.startswith("/") else reverse(target)
        marked = "page" if href == request.path else "true" if name == current else ""
        tabs.append({"name": name, "href": href, "label": label, "current": marked})
    return {"tabs": tabs, "unread": context.get("inbox_unread_count")}
