import datetime

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from portal.content import services as content_services
from portal.models import ActivationCode, Role, RoleAssignment
from portal.registry import services
from portal.registry.factories import MemberFactory, UserFactory

User = get_user_model()
NEW_PASSWORD = "Qingxi#2026long"


@pytest.fixture
def member(tree):
    return MemberFactory(origin=tree.village_a1, phone="13811112222")


def test_issuing_a_code_creates_a_login_named_by_phone(member, org_admin_a):
    code = services.member_account_issue(member=member, issued_by=org_admin_a)
    member.refresh_from_db()
    assert member.user.username == "13811112222"
    assert not member.user.has_usable_password()
    assert len(code) == 8
    assert RoleAssignment.objects.filter(user=member.user, role=Role.MEMBER).exists()
    stored = ActivationCode.objects.get(user=member.user)
    assert code not in stored.code_hash


def test_activation_sets_the_password_once(member, org_admin_a):
    code = services.member_account_issue(member=member, issued_by=org_admin_a)
    services.member_activate(phone="138 1111 2222", code=code.lower(), password=NEW_PASSWORD)
    assert authenticate(RequestFactory().post("/"), username="13811112222", password=NEW_PASSWORD)
    with pytest.raises(ValidationError) as caught:
        services.member_activate(phone="13811112222", code=code, password="Another#2026x")
    assert "code" in caught.value.message_dict


def test_a_new_code_cancels_the_old_one(member, org_admin_a):
    first = services.member_account_issue(member=member, issued_by=org_admin_a)
    second = services.member_account_issue(member=member, issued_by=org_admin_a)
    with pytest.raises(ValidationError):
        services.member_activate(phone=member.phone, code=first, password=NEW_PASSWORD)
    services.member_activate(phone=member.phone, code=second, password=NEW_PASSWORD)


def test_expired_code_is_refused(member, org_admin_a):
    code = services.member_account_issue(member=member, issued_by=org_admin_a)
    ActivationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.member_activate(phone=member.phone, code=code, password=NEW_PASSWORD)


def test_a_strangers_wrong_codes_do_not_wear_the_members_code_out(member, org_admin_a):
    """Anyone can type a member's phone: many wrong codes are counted, and the member's own
    code still works, and the purge keeps it."""
    code = services.member_account_issue(member=member, issued_by=org_admin_a)
    for _attempt in range(20):
        with pytest.raises(ValidationError):
            services.member_activate(phone=member.phone, code="WRONG123", password=NEW_PASSWORD)
    assert ActivationCode.objects.get().failed_attempts == 20
    assert services.activation_codes_purge() == 0
    user = services.member_activate(phone=member.phone, code=code, password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD)


def test_weak_password_is_refused_and_code_stays_usable(member, org_admin_a):
    code = services.member_account_issue(member=member, issued_by=org_admin_a)
    with pytest.raises(ValidationError) as caught:
        services.member_activate(phone=member.phone, code=code, password="12345678")
    assert "password" in caught.value.message_dict
    services.member_activate(phone=member.phone, code=code, password=NEW_PASSWORD)


def test_phone_taken_by_another_login_is_reported(member, org_admin_a):
    UserFactory(username=member.phone)
    with pytest.raises(ValidationError) as caught:
        services.member_account_issue(member=member, issued_by=org_admin_a)
    assert "phone" in caught.value.message_dict


def test_changing_the_phone_moves_the_login(member, org_admin_a):
    services.member_account_issue(member=member, issued_by=org_admin_a)
    services.member_update(member=member, data={"phone": "13933334444"})
    assert User.objects.filter(username="13933334444").exists()


def test_purge_removes_only_spent_codes(member, org_admin_a):
    services.member_account_issue(member=member, issued_by=org_admin_a)
    services.member_account_issue(member=member, issued_by=org_admin_a)  # expires the first
    assert services.activation_codes_purge() == 1
    assert ActivationCode.objects.usable().count() == 1


def test_role_groups_carry_their_permissions(db):
    services.role_groups_sync()
    admin_group = services.role_group(Role.ORG_ADMIN)
    codenames = set(admin_group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_member", "view_member"} <= codenames
    assert "delete_member" not in codenames


def test_revoking_the_last_grant_leaves_the_group(tree):
    user = UserFactory()
    services.role_grant(user=user, role=Role.ORG_ADMIN, organization=tree.township_a, actor=None)
    services.role_grant(user=user, role=Role.ORG_ADMIN, organization=tree.township_b, actor=None)
    services.role_revoke(user=user, role=Role.ORG_ADMIN, organization=tree.township_a, actor=None)
    assert user.has_perm("portal.change_member")
    services.role_revoke(user=user, role=Role.ORG_ADMIN, organization=tree.township_b, actor=None)
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("portal.change_member")


def test_site_home_is_made_once_and_served_by_the_default_site(db):
    from wagtail.models import Page, Site

    from portal.models import HomePage

    Page.objects.filter(depth__gt=1).delete()
    Site.objects.all().delete()
    home = content_services.site_home_ensure()
    assert content_services.site_home_ensure() == home
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
