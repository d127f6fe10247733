"""Talent endpoints, included by portal/api_urls.py under /api/v1/."""

from django.urls import path

from .search import TalentSearchView

urlpatterns = [
    path("talent/search", TalentSearchView.as_view(), name="talent_search"),
]
