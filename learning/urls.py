"""The member-facing learning pages, mounted at /learning/ by portal/urls.py."""

from django.urls import path

from .periods import views as publication_views
from .progress import views as step_views
from .quizzes import views as quiz_views
from .record import views as record_views

app_name = "learning"

urlpatterns = [
    path(
        "publications/<int:pk>/",
        publication_views.publication_detail,
        name="publication",
    ),
    path("tracks/<int:track_id>/steps/<int:step_id>/", step_views.step, name="step"),
    path("tracks/<int:track_id>/quiz/<int:step_id>/", quiz_views.quiz, name="quiz"),
    path(
        "tracks/<int:track_id>/quiz/<int:step_id>/attempts/<int:number>/",
        quiz_views.quiz_result,
        name="quiz_result",
    ),
    path("record/", record_views.record, name="record"),
    path(
        "certificates/<str:code>.pdf",
        record_views.certificate_download,
        name="certificate_pdf",
    ),
    path("verify/", record_views.verify_form, name="verify_form"),
    path("verify/<str:code>/", record_views.verify, name="verify"),
]
