"""Search in the Wagtail admin: the synonym list an admin extends."""

from wagtail import hooks

from .viewsets import synonym_viewset


@hooks.register("register_admin_viewset")
def register_synonyms():
    return synonym_viewset
