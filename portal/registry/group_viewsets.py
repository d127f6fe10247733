"""Wagtail's group editor, its page-permission rows labelled.

Each row of the group's page permissions chooses a page; Wagtail 8.0 leaves that field without
a label, so the label screen readers announce (and the hidden text of the row) is the field
name, "Page". Here it is the verbose name of ``GroupPagePermission.page`` (页面 in Wagtail's
catalog). The viewset is the users app's ``group_viewset`` (``portal.apps.UsersConfig``).
"""

from django import forms
from django.utils.functional import cached_property
from django.utils.text import capfirst
from wagtail.models import GroupPagePermission
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import groups


class PagePermissionsForm(wagtail_forms.PagePermissionsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].label = capfirst(
            GroupPagePermission._meta.get_field("page").verbose_name
        )


GroupPagePermissionFormSet = forms.formset_factory(
    PagePermissionsForm,
    formset=wagtail_forms.BaseGroupPagePermissionFormSet,
    extra=0,
    can_delete=True,
)


def permission_panel_classes() -> list[type]:
    """Wagtail's permission panels (its own and those of the register_group_permission_panel
    hook), the page permissions in the labelled formset."""
    return [
        GroupPagePermissionFormSet if cls is wagtail_forms.GroupPagePermissionFormSet else cls
        for cls in groups.get_permission_panel_classes()
    ]


class LabelledPermissionPanelsMixin:
    @cached_property
    def permission_panel_forms(self):
        return [
            cls(**self.get_permission_panel_form_kwargs(cls)) for cls in permission_panel_classes()
        ]


class GroupCreateView(LabelledPermissionPanelsMixin, groups.CreateView):
    pass


class GroupEditView(LabelledPermissionPanelsMixin, groups.EditView):
    pass


class GroupViewSet(groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
