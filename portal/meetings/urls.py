"""The member's meetings, on the phone."""

from django.urls import path

from portal.meetings import views

urlpatterns = [
    path("me/meetings/", views.my_meetings, name="my_meetings"),
    path("me/meetings/scan/", views.my_meeting_scan, name="my_meeting_scan"),
    path("me/meetings/<int:pk>/", views.my_meeting, name="my_meeting"),
    path(
        "me/meetings/<int:pk>/documents/<int:document_pk>/",
        views.my_meeting_document,
        name="my_meeting_document",
    ),
]
