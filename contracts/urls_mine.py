"""我的聘期, mounted in the staff site at /my-term/: the director's portal (``web.portal``),
the same page as a director's "/"."""

from django.urls import path

from web import views

app_name = "my_term"

urlpatterns = [
    path("", views.my_term, name="index"),
]
