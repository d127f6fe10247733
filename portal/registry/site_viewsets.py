"""Wagtail's sites list, its columns headed in the reader's language.

Wagtail 8.0 heads the port, site name and root page columns with their attribute names
("Port", "Site name"), which no catalog translates; here a column Wagtail left unlabelled takes
the verbose name of its Site field ("port" → 端口号 in Wagtail's own catalog).

``portal.wagtail_hooks`` registers this viewset ahead of Wagtail's, at the same prefix: the
admin resolves /admin/sites/… to these views, and Wagtail's ``wagtailsites:`` names (the
settings menu, the explorer's "configure a site") reverse to the same paths. Wagtail's own
registration cannot be withdrawn, so its routes stay behind these, unreached.
"""

from django.utils.functional import cached_property
from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column
from wagtail.models import Site
from wagtail.sites import views


def _unlabelled(column: Column) -> bool:
    """True for a column whose header Wagtail made from its attribute name."""
    return type(column) is Column and column.label == capfirst(column.name.replace("_", " "))


def _field_label(column: Column) -> str:
    return capfirst(Site._meta.get_field(column.name).verbose_name)


class SiteIndexView(views.IndexView):
    @cached_property
    def columns(self):
        return [
            Column(
                column.name,
                label=_field_label(column),
                accessor=column.accessor,
                sort_key=column.sort_key,
                classname=column.classname,
                width=column.width,
            )
            if _unlabelled(column)
            else column
            for column in super().columns
        ]


class SiteViewSet(views.SiteViewSet):
    name = "portal_sites"
    url_prefix = "sites"  # Wagtail's
    index_view_class = SiteIndexView
