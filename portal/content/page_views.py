"""What a page shows beyond its own fields, built in its wing's ``views.py``.

A page model reads other models to fill its template (the section lists its materials, the
catalog its packages). Those reads are selectors, and selectors import the models, so the
models do not import them back: each wing's views say what they build for a page type with
``@page_view(Model)`` (the template context) or ``@page_view(Model, "rss")`` (a route of a
routable page), and the page asks here. ``PortalConfig.ready`` imports the views, so every
builder is known before the first page is served.
"""

from collections.abc import Callable

_BUILDERS: dict[tuple[type, str], Callable] = {}


def page_view(model: type, name: str = "context") -> Callable[[Callable], Callable]:
    """Register ``builder(page, request)`` as ``name`` for pages of ``model``."""

    def register(builder: Callable) -> Callable:
        _BUILDERS[(model, name)] = builder
        return builder

    return register


def page_view_for(page, name: str = "context") -> Callable:
    return _BUILDERS[(type(page), name)]


class ContextFromViews:
    """Page mixin: the template context adds what the page's registered builder returns."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_view_for(self)(self, request))
        return context
