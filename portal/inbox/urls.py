"""The member's inbox."""

from django.urls import path

from portal.inbox import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
]
