"""Learning endpoints, included by portal/api_urls.py under /api/v1/."""

from django.urls import path

from .progress import ProgressView
from .record import MyRecordView

urlpatterns = [
    path("me/record", MyRecordView.as_view(), name="me_record"),
    path("learning/progress", ProgressView.as_view(), name="learning_progress"),
]
