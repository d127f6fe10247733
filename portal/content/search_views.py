"""The site search box (/search/): study materials, micro-lectures, red packages, notices."""

import logging

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.content.models import SectionPage
from portal.content.search_documents import PAGE_TYPES
from portal.content.search_selectors import page_search, type_label
from search.engines.base import SearchEngineUnavailable

QUERY_MAX_LENGTH = 100

logger = logging.getLogger(__name__)


class PageSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": _("At most %(limit_value)d characters, please.")},
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        error_messages={"invalid_choice": _("There is no such kind of page.")},
    )
    section = forms.IntegerField(
        label=_("Section"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Choose a section from the list."),
            "min_value": _("Choose a section from the list."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", ""), *((name, type_label(name)) for name in PAGE_TYPES)]

    def clean_section(self) -> int | None:
        section = self.cleaned_data["section"]
        if section is not None and not SectionPage.objects.filter(pk=section).exists():
            raise forms.ValidationError(self.fields["section"].error_messages["invalid"])
        return section


def _page_number(value: str | None) -> int:
    """A missing or bad number gives the first page (the selector caps it at the last)."""
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def page_search_view(request):
    """Results only for a valid, non-empty query; members find members-only pages too."""
    form = PageSearchForm(request.GET)
    context = {"form": form, "query": "", "results": None, "unavailable": False}
    if not (form.is_valid() and form.cleaned_data["q"]):
        return render(request, "portal/search.html", context)
    context["query"] = form.cleaned_data["q"]
    try:
        context["results"] = page_search(
            user=request.user,
            text=form.cleaned_data["q"],
            page_type=form.cleaned_data["type"] or None,
            section=form.cleaned_data["section"],
            page=_page_number(request.GET.get("page")),
        )
    except SearchEngineUnavailable:
        logger.warning("Site search: the search engine is unavailable", exc_info=True)
        context["unavailable"] = True
        return render(request, "portal/search.html", context, status=503)
    return render(request, "portal/search.html", context)
