"""A member's micro-lectures, and uploaded media served with HTTP Range."""

from django.conf import settings
from django.urls import path

from portal.video import serving, views

urlpatterns = [
    path("lectures/submit/", views.lecture_submit, name="lecture_submit"),
    path("lectures/mine/", views.lecture_mine, name="lecture_mine"),
    # Uploaded media with Range support in every run mode (docs/adr/0005-media-range-serving.md).
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", serving.serve, name="media"),
]
