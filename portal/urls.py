from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.cards import views as card_views
from portal.care import views as care_views
from portal.content import search_views
from portal.content import views as content_views
from portal.inbox import views as notification_views
from portal.parcels import views as parcel_views
from portal.registry import views
from portal.video import serving as media_serving
from portal.video import views as submission_views
from portal.whereabouts import views as whereabouts_views

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
    path("learning/", include("learning.urls")),
    path("api/v1/", include("portal.api_urls")),
    # <str:…>: tag slugs keep their Chinese characters (taggit slugifies with unicode).
    path("tags/<str:slug>/", content_views.tag_page, name="tag"),
    path("search/", search_views.page_search_view, name="page_search"),
    path("lectures/submit/", submission_views.lecture_submit, name="lecture_submit"),
    path("lectures/mine/", submission_views.lecture_mine, name="lecture_mine"),
    # --- Red packages: the member's requests, on the phone ---
    path("me/packages/", parcel_views.my_packages, name="my_packages"),
    path("me/packages/<int:pk>/received/", parcel_views.package_receive, name="package_receive"),
    path("me/packages/<int:pk>/cancel/", parcel_views.package_cancel, name="package_cancel"),
    path("packages/<int:page_id>/request/", parcel_views.package_request, name="package_request"),
    # --- Activity certificates and contact cards: the member's phone, the public check ---
    path("me/certificate/", card_views.my_certificate, name="my_certificate"),
    path("me/certificate/<str:code>.pdf", card_views.my_certificate_pdf, name="my_certificate_pdf"),
    path("me/contact-card/", card_views.my_contact_card, name="my_contact_card"),
    path(
        "me/contact-card/<int:year>/attestation/",
        card_views.my_attestation,
        name="my_attestation",
    ),
    path("verify/activity/", card_views.verify_activity_form, name="verify_activity_form"),
    path("verify/activity/<str:code>/", card_views.verify_activity, name="verify_activity"),
    # --- end of certificates and contact cards ---
    # --- 1+N liaisons: my members and their talks, on the phone ---
    path("care/members/", care_views.my_members, name="care_members"),
    path("care/members/<int:member_id>/talk/", care_views.talk_add, name="care_talk"),
    # --- end of liaisons ---
    # --- Whereabouts: the member's monthly report, on the phone ---
    path("me/whereabouts/", whereabouts_views.whereabouts, name="whereabouts"),
    # Uploaded media with Range support in every run mode (docs/adr/0005-media-range-serving.md).
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media_serving.serve, name="media"),
]

urlpatterns.append(path("", include(wagtail_urls)))
