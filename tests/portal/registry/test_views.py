import json
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.registry import services
from portal.registry.factories import MemberFactory, UserFactory
from portal.registry.logging import PersonalDataFilter

PASSWORD = "Guiyan@2026"


@pytest.fixture
def member_user(tree):
    member = MemberFactory(name="龙建华", origin=tree.village_a1, phone="13900000001")
    member.user = UserFactory(username=member.phone)
    member.save()
    return member


def _login(client, username, password):
    return client.post(reverse("portal:login"), {"username": username, "password": password})


def test_member_logs_in_with_phone_and_sees_own_summary(client, member_user):
    response = _login(client, "139 0000 0001", PASSWORD)
    assert response.status_code == 302
    page = client.get("/")
    text = page.content.decode()
    assert "龙建华" in text and "甲一村党支部" in text
    assert "139****0001" in text and "13900000001" not in text
    assert '<html lang="zh-hans">' in text


def test_anonymous_visitor_is_offered_login_and_activation(client, db):
    text = client.get("/").content.decode()
    assert reverse("portal:login") in text and reverse("portal:activate") in text


def test_wrong_password_gets_a_chinese_error(client, member_user):
    response = _login(client, "13900000001", "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(client, member_user):
    for _attempt in range(3):
        _login(client, "13900000001", "wrong-password")
    response = _login(client, "13900000001", PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_login_not_per_address(client, member_user, tree):
    other = UserFactory(username="13711112222")
    for _attempt in range(3):
        _login(client, "13900000001", "wrong-password")
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_activation_page_sets_password_and_logs_in(client, tree):
    member = MemberFactory(origin=tree.village_a1, phone="13822223333")
    code = services.member_account_issue(member=member, issued_by=None)
    response = client.post(
        reverse("portal:activate"),
        {
            "phone": member.phone,
            "code": code,
            "password": "Qingxi#2026long",
            "password_again": "Qingxi#2026long",
        },
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.user_id)


def test_activation_errors_name_the_field_in_chinese(client, tree):
    member = MemberFactory(origin=tree.village_a1, phone="13822223333")
    services.member_account_issue(member=member, issued_by=None)
    response = client.post(
        reverse("portal:activate"),
        {
            "phone": member.phone,
            "code": "AAAA2222",
            "password": "Qingxi#2026long",
            "password_again": "different#2026",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "激活码" in text and "两次" in text


def test_healthz_reports_each_part(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    state = json.loads(response.content)
    assert state["database"] == "ok"
    assert state["broker"] == "in-process"
    assert state["search"] == {"engine": "database", "status": "ok"}


def test_healthz_sees_a_broker_that_is_down(client, db, settings, monkeypatch):
    from portal.celery import app

    # Celery reads the CELERY_BROKER_URL environment variable before its own setting.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)

    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        state = json.loads(client.get("/healthz").content)
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert state["broker"] == "down"


def test_healthz_sees_a_live_redis_broker(client, db, settings):
    from portal.celery import app

    app.conf.task_always_eager = False
    try:
        state = json.loads(client.get("/healthz").content)
    finally:
        app.conf.task_always_eager = True
    assert state["broker"] == "ok"


def test_log_lines_never_carry_id_or_phone_numbers(caplog):
    logger = logging.getLogger("guiyan.test")
    caplog.handler.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.INFO):
        logger.info("member %s with phone %s", "11010519491231002X", "13812345678")
        try:
            raise ValueError("bad id 11010519491231002X")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "11010519491231002X" not in text and "13812345678" not in text
    assert "110105********002X" in text and "138****5678" in text


def test_the_me_tab_lists_a_members_own_pages_and_logging_out(client, member_user):
    client.force_login(member_user.user)
    html = client.get(reverse("me")).content.decode()
    menu = html[html.index('id="my-pages"') :].split("</ul>", 1)[0]
    for name in ("whereabouts", "my_certificate", "my_contact_card", "lecture_mine"):
        assert f'href="{reverse(name)}"' in menu
    assert f'action="{reverse("portal:logout")}"' in html
    assert "139****0001" in html and "13900000001" not in html


def test_the_me_tab_of_a_login_without_member_record_offers_only_what_applies(client, db):
    client.force_login(UserFactory(username="editor-li"))
    html = client.get(reverse("me")).content.decode()
    assert reverse("whereabouts") not in html and reverse("my_certificate") not in html
    assert f'action="{reverse("portal:logout")}"' in html


def test_the_me_tab_asks_a_visitor_to_log_in(client, db):
    response = client.get(reverse("me"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))
