"""CMS page types. The home page is the root of the site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: a welcome for visitors, and a member's own summary when logged in."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    service_hotline = models.CharField(_("service hotline"), max_length=30, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("service_hotline")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import member_for_user

        context = super().get_context(request, *args, **kwargs)
        context["member"] = member_for_user(request.user)
        return context
