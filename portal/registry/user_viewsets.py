"""Wagtail's user list, with its yes/no column in words (the users app's ``user_viewset``,
named in ``portal.apps.UsersConfig``)."""

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.users.views import users

from portal.registry.components import YesNoColumn


class UserIndexView(users.IndexView):
    @cached_property
    def columns(self):
        return [
            YesNoColumn(
                column.name,
                label=column.label,
                accessor=column.accessor,
                sort_key=column.sort_key,
                classname=column.classname,
                width=column.width,
            )
            if isinstance(column, BooleanColumn)
            else column
            for column in super().columns
        ]


class UserViewSet(users.UserViewSet):
    index_view_class = UserIndexView
