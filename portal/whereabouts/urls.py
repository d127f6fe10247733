"""The member's monthly whereabouts report, on the phone."""

from django.urls import path

from portal.whereabouts import views

urlpatterns = [
    path("me/whereabouts/", views.whereabouts, name="whereabouts"),
]
