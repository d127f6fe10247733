"""The talent pool in the Wagtail admin."""

from wagtail import hooks

from .viewsets import TalentViewSetGroup


@hooks.register("register_admin_viewset")
def register_talent():
    return TalentViewSetGroup()
