"""Red packages on the member's phone: requesting one, following and receiving it."""

from django.urls import path

from portal.parcels import views

urlpatterns = [
    path("me/packages/", views.my_packages, name="my_packages"),
    path("me/packages/<int:pk>/received/", views.package_receive, name="package_receive"),
    path("me/packages/<int:pk>/cancel/", views.package_cancel, name="package_cancel"),
    path("packages/<int:page_id>/request/", views.package_request, name="package_request"),
]
