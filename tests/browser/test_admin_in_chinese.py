"""The admin and the member pages show no English (issue 16), walked in a real browser.

Each role of the demo county signs in to the admin (1366×900) and opens its home, every menu
item the sidebar offers it, a list and an edit form; the editor writes a page and submits it,
the reviewer approves it in the page editor; the member reads on a phone (home, a track, a
step, the study record). On every page the visible text, the title and the placeholders are
searched for English words: brand and technical names, and data (user names, slugs, file
names, e-mail addresses), are allowed.
"""

import re

import pytest
from django.urls import reverse

from learning.models import TrackPage
from portal.management.commands.seed_demo import demo_build
from portal.models import Organization, StudyMaterialPage
from portal.registry.demo import COUNTY_CODE, DEMO_MEMBER_PHONE, DEMO_PASSWORD
from search.analysis import pinyin_slug

from .conftest import autosaved_page_id, open_page_editor, screenshot

pytestmark = pytest.mark.browser
ADMIN_VIEWPORT = {"width": 1366, "height": 900}
ROLES = ["admin", "editor", "reviewer", "secretary", "recruiter"]
TITLE = "春节集中学习安排"

# Names a Chinese reader meets as they are (brands, formats, keys), and units.
ALLOWED = {
    word.lower()
    for word in (
        "Guiyan Wagtail PDF CSV Excel ID URL API JSON XLSX MP4 WebM MOV PNG JPEG JPG GIF SVG "
        "WebP AVIF HTML QR px KB MB GB am pm GBK UTF GMT localhost Ctrl Mac"
    ).split()
}
# A token holding one of these is data or a technical name: an e-mail address, a URL or
# path, a user name or slug (county_admin, chunjie-jizhong), a file name (notes.pdf).
DATA_TOKEN = re.compile(r"@|://|\w/\w|^/|_|[A-Za-z0-9]-[A-Za-z0-9]|\w\.\w")
VISIBLE_TEXT = """() => {
    // A closed drop-down shows its chosen option only (the time zones are data).
    const selects = [...document.querySelectorAll('select')];
    const chosen = selects.map(select => select.selectedOptions[0]?.text || '');
    selects.forEach(select => {
        select.dataset.display = select.style.display;
        select.style.display = 'none';
    });
    const texts = [document.title, document.body.innerText, ...chosen];
    selects.forEach(select => { select.style.display = select.dataset.display; });
    for (const field of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
        if (field.offsetParent !== null) texts.push(field.placeholder);
    }
    return texts.join('\\n');
}"""


def english_words(text: str, data: set[str]) -> set[str]:
    """The English words of the text outside the allowed names and the world's own data."""
    found = set()
    for token in text.split():
        if DATA_TOKEN.search(token):
            continue
        if re.fullmatch(r"[A-Z0-9]{8,}", token):  # a verification code on the study record
            continue
        for word in re.findall(r"[A-Za-z]{2,}", token):
            if word.lower() not in ALLOWED and word.lower() not in data:
                found.add(word)
    return found


class Walk:
    """Visits pages and remembers the English each one shows."""

    def __init__(self, page, live_server, request, data: set[str]):
        self.page, self.base, self.request, self.data = page, live_server.url, request, data
        self.english: dict[str, set[str]] = {}

    def check(self, label: str) -> None:
        self.page.wait_for_load_state("networkidle")
        words = english_words(self.page.evaluate(VISIBLE_TEXT), self.data)
        if words:
            self.english[f"{label} {self.page.url.removeprefix(self.base)}"] = words
            screenshot(self.page, self.request, re.sub(r"\W+", "_", label)[:40])

    def visit(self, path: str, label: str) -> None:
        self.page.goto(self.base + path)
        self.check(label)

    def log_in_admin(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.visit("/admin/login/", "login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.locator("button[type=submit]").click()
        self.page.wait_for_url(f"{self.base}/admin/")
        self.check(f"{username} home")

    def menu_links(self) -> list[str]:
        """Every link of the sidebar, its sub-menus opened one by one."""
        links = set()
        toggles = self.page.locator(
            "#wagtail-sidebar button.sidebar-menu-item__link[aria-expanded]"
        )
        for index in range(toggles.count()):
            if not toggles.nth(index).is_visible():
                continue
            toggles.nth(index).click()
            self.page.wait_for_timeout(150)
            for link in self.page.locator("#wagtail-sidebar a[href^='/admin/']").all():
                links.add(link.get_attribute("href"))
            self.page.keyboard.press("Escape")
        for link in self.page.locator("#wagtail-sidebar a[href^='/admin/']").all():
            links.add(link.get_attribute("href"))
        return sorted(link for link in links if "logout" not in link)

    def first_edit_link(self) -> str | None:
        links = self.page.locator("main a[href*='/edit/']")
        return links.first.get_attribute("href") if links.count() else None


@pytest.fixture
def demo(home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(members=0, seed=20260701)
    from django.contrib.auth import get_user_model

    # User names and organisation codes (QX, T01) are the data's, not the interface's.
    data = set(get_user_model().objects.values_list("username", flat=True))
    data |= set(Organization.objects.values_list("code", flat=True))
    return {"data": {name.lower() for name in data}}


def walk_role(walk: Walk, username: str) -> None:
    walk.log_in_admin(username)
    edited = False
    for link in walk.menu_links():
        walk.visit(link, f"{username} menu")
        if not edited and (edit := walk.first_edit_link()):
            walk.visit(edit, f"{username} edit")
            edited = True


def editor_submits(walk: Walk, section_pk: int) -> StudyMaterialPage:
    """Write the page once the editor form watches for edits, so that the autosave creates it,
    and submit the edit form the autosave leaves (conftest.autosaved_page_id says why).

    Typing faster than the form's first look, the walk never autosaved; under load the typing
    outlasted it, Submit raced the autosave, and the walk went on with the draft copy, which
    the reviewer had no approve button for."""
    walk.log_in_admin("editor")
    page = walk.page
    open_page_editor(page, f"{walk.base}/admin/pages/add/portal/studymaterialpage/{section_pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "春节期间集中学习的时间和地点。")
    page.locator(".c-sf-add-button").first.click()
    page.locator("[role=option]").first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.press_sequentially("正月初八上午九时，在村党群服务中心集中学习。", delay=10)
    pk = autosaved_page_id(page)
    walk.check("editor add form")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name=action-submit]").click()
    page.wait_for_url(f"{walk.base}/admin/pages/{section_pk}/")
    walk.check("editor submitted")
    assert StudyMaterialPage.objects.filter(title=TITLE).count() == 1
    return StudyMaterialPage.objects.get(pk=pk)


def reviewer_approves(walk: Walk, material: StudyMaterialPage, section_pk: int) -> None:
    walk.log_in_admin("reviewer")
    page = walk.page
    page.goto(f"{walk.base}/admin/pages/{material.pk}/edit/")
    page.locator("footer .w-dropdown__toggle").first.click()
    # "Approve and publish" without a comment (the other one opens a comment dialog).
    approve = (
        "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    page.locator(approve).click()
    page.wait_for_url(f"{walk.base}/admin/pages/{section_pk}/")
    assert f"页面“{TITLE}”已审核通过" in page.locator(".messages").inner_text()
    walk.check("reviewer approved")


def member_reads_on_a_phone(walk: Walk) -> None:
    walk.visit("/accounts/login/", "member login")
    walk.page.fill("input[name=username]", DEMO_MEMBER_PHONE)
    walk.page.fill("input[name=password]", DEMO_PASSWORD)
    walk.page.locator("main button[type=submit]").click()
    walk.page.wait_for_url(f"{walk.base}/")
    walk.check("member home")
    track = TrackPage.objects.live().filter(assignments__isnull=False).distinct().first()
    walk.visit(track.url, "member track")
    step = track.steps.first()
    walk.visit(reverse("learning:step", args=[track.pk, step.pk]), "member step")
    walk.visit(reverse("learning:record"), "member record")


def test_every_role_sees_the_admin_and_the_member_pages_in_chinese(
    live_server, demo, browser, phone_page, request
):
    context = browser.new_context(locale="zh-CN", viewport=ADMIN_VIEWPORT)
    context.set_default_timeout(15_000)
    walk = Walk(context.new_page(), live_server, request, demo["data"])
    try:
        for username in ROLES:
            walk_role(walk, username)
        section = Organization.objects.get(code=COUNTY_CODE).section
        material = editor_submits(walk, section.pk)
        assert material.current_workflow_state.status == "in_progress"
        assert material.slug.startswith(pinyin_slug(TITLE)) and material.slug.isascii()
        reviewer_approves(walk, material, section.pk)
        material.refresh_from_db()
        assert material.live and material.current_workflow_state is None
    finally:
        context.close()
    phone = Walk(phone_page, live_server, request, demo["data"])
    member_reads_on_a_phone(phone)
    english = {**walk.english, **phone.english}
    assert not english, "English on these pages:\n" + "\n".join(
        f"{where}: {sorted(words)}" for where, words in sorted(english.items())
    )
