"""Issue 18's journey in a real browser: a township admin writes the rule "when a notice is
published in our section, tell the secretaries of our villages"; an editor writes a notice
and submits it, a reviewer approves it, and a village secretary finds it in the inbox."""

import pytest

from portal.models import NoticePage, Role, Rule
from portal.registry import services
from portal.registry.factories import OrganizationFactory, UserFactory

from .conftest import autosaved_page_id, county_and_township, open_page_editor, screenshot
from .test_publishing_journey import PASSWORD, log_in_admin, more_actions, reviewer_approves

pytestmark = pytest.mark.browser
RULE = "本镇发布通知时告知各村书记"
NOTICE = "关于开展主题党日活动的通知"


@pytest.fixture
def township(home_page):
    county, township = county_and_township()
    villages = [
        OrganizationFactory(parent=township, name=name, code=code)
        for name, code in (("甲一村党支部", "A1"), ("甲二村党支部", "A2"))
    ]
    for username, role, organization in (
        ("admin_a", Role.ORG_ADMIN, township),
        ("editor_a", Role.EDITOR, township),
        ("reviewer_a", Role.REVIEWER, township),
        ("secretary_a1", Role.ORG_ADMIN, villages[0]),
        ("secretary_a2", Role.ORG_ADMIN, villages[1]),
    ):
        user = UserFactory(username=username)
        services.role_grant(user=user, role=role, organization=organization, actor=None)
    return township


def entry_add(page, name: str, kind: str) -> str:
    """Add an entry of ``kind`` to the rule's conditions or actions; its field prefix."""
    page.select_option(f"#rule-{name}-kind", kind)
    page.locator(f"#rule-{name} [data-rule-entries-add]").click()
    entries = page.locator(f"#rule-{name} [data-rule-entry]")
    kind_input = entries.last.locator(f"input[name$='-kind'][value='{kind}']")
    return kind_input.get_attribute("name").removesuffix("-kind")


def admin_writes_the_rule(page, live_server, township, request) -> None:
    """Through the fields: a trigger, a condition chosen from a list, an action filled in."""
    log_in_admin(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/admin/rules/new/")
    assert page.locator("textarea[name=conditions], textarea[name=actions]").count() == 0
    page.fill("#id_title", RULE)
    page.select_option("#id_trigger", "page_published")
    page.select_option("#id_organization", str(township.pk))

    tag = entry_add(page, "conditions", "tag")
    page.fill(f"#id_{tag}-tag", "不要")
    types = entry_add(page, "conditions", "page_type")
    page.check(f"input[name='{types}-page_types'][value='portal.noticepage']")
    page.locator(
        f"#rule-conditions [data-rule-entry]:has(#id_{tag}-tag) [data-rule-entry-remove]"
    ).click()

    action = entry_add(page, "actions", "notify_role")
    placeholders = page.locator("#rule-actions [data-rule-placeholders]").first.inner_text()
    assert "{section}" in placeholders and "{title}" in placeholders
    page.select_option(f"#id_{action}-recipients", "secretary")
    page.select_option(f"#id_{action}-reach", "below")
    page.select_option(f"#id_{action}-level", "village")
    page.fill(f"#id_{action}-title", "新通知：{title}")
    page.fill(f"#id_{action}-body", "{whoever}发布了通知，请及时传达。")
    page.locator("main form button[type=submit]").first.click()

    # Sent back with the error beside the message field, naming it; nothing saved.
    page.locator("#rule-actions").scroll_into_view_if_needed()
    screenshot(page, request, "0-rule-error-at-its-field")
    wrapper = page.locator(".w-field__wrapper:has(#id_actions-0-body)").last
    error = wrapper.locator("[data-field-errors]").first
    assert "{whoever}" in error.inner_text()
    assert not Rule.objects.filter(title=RULE).exists()
    assert page.locator(f"input[name='{types}-page_types'][value='portal.noticepage']").is_checked()
    page.fill("#id_actions-0-body", "{section}发布了通知，请及时传达。")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/rules/")
    assert RULE in page.locator("main").inner_text()


def editor_writes_a_notice(page, live_server, section) -> NoticePage:
    log_in_admin(page, live_server, "editor_a")
    open_page_editor(page, f"{live_server.url}/admin/pages/add/portal/noticepage/{section.pk}/")
    page.fill("#id_title", NOTICE)
    body = page.locator(".public-DraftEditor-content").first
    body.click()
    body.press_sequentially("请各村于本月十日前组织主题党日活动。", delay=20)
    pk = autosaved_page_id(page)
    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{section.pk}/")
    return NoticePage.objects.get(pk=pk)


def test_township_admin_rule_reaches_the_village_secretaries(
    live_server, township, desktop_page, phone_page, request
):
    page = desktop_page
    admin_writes_the_rule(page, live_server, township, request)
    screenshot(page, request, "1-rule-written")
    rule = Rule.objects.get(title=RULE)
    assert rule.organization == township
    assert rule.conditions == [
        {"key": "page_type", "params": {"page_types": ["portal.noticepage"]}}
    ]
    page.context.clear_cookies()
    notice = editor_writes_a_notice(page, live_server, township.section)
    page.context.clear_cookies()
    reviewer_approves(page, live_server, notice)
    screenshot(page, request, "2-approved")

    phone = phone_page
    phone.goto(f"{live_server.url}/accounts/login/?next=/inbox/")
    phone.fill("input[name=username]", "secretary_a1")
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/inbox/")
    inbox = phone.locator("main").inner_text()
    assert f"新通知：{NOTICE}" in inbox
    screenshot(phone, request, "3-secretary-inbox")

    page.context.clear_cookies()
    log_in_admin(page, live_server, "admin_a")
    rule = Rule.objects.get(title=RULE)
    page.goto(f"{live_server.url}/admin/rules/inspect/{rule.pk}/")
    executions = page.locator("#rule-executions").inner_text()
    assert f"published:{notice.pk}" in executions
    screenshot(page, request, "4-rule-executions")
