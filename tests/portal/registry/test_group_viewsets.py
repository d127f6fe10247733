"""Wagtail's group editor through the project's viewset: the labelled page-permission rows
save as Wagtail's do, and the other permission panels are still there."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from portal.registry.group_viewsets import GroupPagePermissionFormSet, permission_panel_classes

pytestmark = pytest.mark.django_db


def test_the_page_permissions_panel_is_the_labelled_one_and_the_others_stay():
    from wagtail.users.views.groups import get_permission_panel_classes

    wagtails = get_permission_panel_classes()
    ours = permission_panel_classes()
    assert ours[0] is GroupPagePermissionFormSet
    assert ours[1:] == wagtails[1:] and len(ours) > 1


def management_data(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_an_admin_grants_a_group_page_permissions(admin_client):
    home = Page.objects.get(depth=2)
    data = {
        "name": "县委宣传部编辑",
        **management_data("page_permissions", 1),
        "page_permissions-0-page": str(home.pk),
        "page_permissions-0-permissions": ["add_page", "change_page"],
    }
    for prefix in ("collection_permissions", "document_permissions", "image_permissions"):
        data |= management_data(prefix, 0)
    response = admin_client.post(reverse("wagtailusers_groups:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    group = Group.objects.get(name="县委宣传部编辑")
    granted = GroupPagePermission.objects.filter(group=group, page=home)
    assert set(granted.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
    }
