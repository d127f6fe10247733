"""The registry's pages: logging in and out, activation, the member's own hub (/me/), and
/healthz."""

from django.urls import include, path

from portal.registry import views

portal_patterns = [
    path("login/", views.SiteLoginView.as_view(), name="login"),
    path("logout/", views.SiteLogoutView.as_view(), name="logout"),
    path("activate/", views.activate, name="activate"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include((portal_patterns, "portal"))),
    path("me/", views.me, name="me"),
]
