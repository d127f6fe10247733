from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import content_views, media_serving, notification_views, submission_views, views

portal_patterns = [
    path("login/", views.SiteLoginView.as_view(), name="login"),
    path("logout/", views.SiteLogoutView.as_view(), name="logout"),
    path("activate/", views.activate, name="activate"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include((portal_patterns, "portal"))),
    path("inbox/", notification_views.inbox, name="inbox"),
    # <str:…>: tag slugs keep their Chinese characters (taggit slugifies with unicode).
    path("tags/<str:slug>/", content_views.tag_page, name="tag"),
    path("lectures/submit/", submission_views.lecture_submit, name="lecture_submit"),
    path("lectures/mine/", submission_views.lecture_mine, name="lecture_mine"),
    # Uploaded media with Range support in every run mode (docs/adr/0005-media-range-serving.md).
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media_serving.serve, name="media"),
]

urlpatterns.append(path("", include(wagtail_urls)))
