"""Quarterly publications in the Wagtail admin, for org admins: made per organisation and
quarter, read through the user's scope as in ``learning.credit.viewsets``, which holds the
permission policy and scoped viewset they share.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic

from portal.registry.selectors import organizations_managed_by
from portal.registry.viewsets import ServiceFormMixin

from ..credit.viewsets import ScopedObjectsMixin, ScopedViewSet
from ..models import QuarterlyPublication
from . import services
from .forms import PublicationForm


class ScopedPublicationQuerysetMixin(ScopedObjectsMixin):
    def scoped_queryset(self):
        organizations = organizations_managed_by(self.request.user)
        return QuarterlyPublication.objects.filter(organization__in=organizations).select_related(
            "organization", "published_by"
        )


class PublicationIndexView(ScopedPublicationQuerysetMixin, generic.IndexView):
    add_item_label = _("Publish a quarter")


class PublicationCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.quarter_publish(
            organization=data["organization"],
            year=data["year"],
            quarter=data["quarter"],
            note=data.get("note", ""),
            user=self.request.user,
        )


def _publication_url(publication: QuarterlyPublication) -> str:
    return reverse("learning:publication", kwargs={"pk": publication.pk})


class PublicationViewSet(ScopedViewSet):
    model = QuarterlyPublication
    icon = "doc-full"
    menu_label = _("Quarterly publications")
    url_prefix = "learning/publications"
    scope = ScopedPublicationQuerysetMixin
    index_view_class = PublicationIndexView
    add_view_class = PublicationCreateView
    list_filter = ["year", "quarter"]
    ordering = ["-year", "-quarter", "organization__path"]
    list_display = [
        TitleColumn("organization", label=_("organisation"), get_url=_publication_url),
        Column("year", label=_("year")),
        Column("quarter", label=_("quarter")),
        DateColumn("published_at", label=_("published at")),
        Column("published_by", label=_("published by")),
    ]

    def get_form_class(self, for_update=False):
        return PublicationForm
