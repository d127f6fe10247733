"""1+N on the liaison's phone: my members and their talks."""

from django.urls import path

from portal.care import views

urlpatterns = [
    path("care/members/", views.my_members, name="care_members"),
    path("care/members/<int:member_id>/talk/", views.talk_add, name="care_talk"),
]
