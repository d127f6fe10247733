"""The member's tab bar (首页 · 学习 · 包裹 · 消息 · 我的) and which tab a page belongs to,
from its path or its page type.

No query of its own: the path and the page already in the template context say which tab is
current; the inbox badge is the inbox wing's lazy count, asked only when the bar shows.
"""

import functools

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

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
ARIA_PAGE = mark_safe(' aria-current="page"')
ARIA_TRUE = mark_safe(' aria-current="true"')
UNREAD_BADGE = '<span class="badge" title="{}">{}</span>'
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


@functools.cache
def _href(target: str) -> str:
    """A tab's address, reversed once per process: the URLconf does not change while serving."""
    return target if target.startswith("/") else reverse(target)


@register.simple_tag(takes_context=True)
def member_tabs(context) -> str:
    """The tab bar. The current tab is marked ``aria-current="page"`` on its own address and
    ``"true"`` on the pages below it. Built here rather than by a template loop: it is on
    every logged-in page, and this costs about a third of the CPU."""
    request = context["request"]
    current = tab_of(request.path, context.get("page"))
    unread = context.get("inbox_unread_count")
    badge = format_html(UNREAD_BADGE, _("Unread"), unread) if unread else ""
    links = []
    for name, target, label in TABS:
        href = _href(target)
        marked = ARIA_PAGE if href == request.path else ARIA_TRUE if name == current else ""
        links.append((href, name, marked, label, badge if name == "inbox" else ""))
    return format_html(
        '<nav class="tabbar" aria-label="{}">{}</nav>',
        pgettext("navigation", "Main"),
        format_html_join("", '<a href="{}" class="tab-{}"{}>{}{}</a>', links),
    )
