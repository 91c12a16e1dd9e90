"""The director's own record (我的聘期), mounted in the staff site at /my-term/."""

from django.urls import path

from contracts import views

app_name = "my_term"

urlpatterns = [
    path("", views.my_term, name="index"),
]
