"""The activity certificate and the contact card on the member's phone, and the public
check of a certificate."""

from django.urls import path

from portal.cards import views

urlpatterns = [
    path("me/certificate/", views.my_certificate, name="my_certificate"),
    path("me/certificate/<str:code>.pdf", views.my_certificate_pdf, name="my_certificate_pdf"),
    path("me/contact-card/", views.my_contact_card, name="my_contact_card"),
    path(
        "me/contact-card/<int:year>/attestation/",
        views.my_attestation,
        name="my_attestation",
    ),
    path("verify/activity/", views.verify_activity_form, name="verify_activity_form"),
    path("verify/activity/<str:code>/", views.verify_activity, name="verify_activity"),
]
