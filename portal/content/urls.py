"""Content pages that are not pages of the tree: a tag's pages and the site search."""

from django.urls import path

from portal.content import search_views, views

urlpatterns = [
    # <str:…>: tag slugs keep their Chinese characters (taggit slugifies with unicode).
    path("tags/<str:slug>/", views.tag_page, name="tag"),
    path("search/", search_views.page_search_view, name="page_search"),
    # At the root: a service worker controls only the pages under its own path.
    path("sw.js", views.service_worker, name="service_worker"),
]
