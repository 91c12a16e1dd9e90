"""Pages of the working-day calendar, mounted in the staff site at /calendar/."""

from django.urls import path

from workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_list, name="list"),
    path("corrections/new/", views.override_add, name="add"),
    path("corrections/<int:pk>/edit/", views.override_edit, name="edit"),
    path("corrections/<int:pk>/delete/", views.override_delete, name="delete"),
    path("years/<int:year>/entered/", views.year_confirm, name="year_confirm"),
    path("years/<int:year>/not-entered/", views.year_unconfirm, name="year_unconfirm"),
    path(
        "years/<int:year>/statutory-holidays/",
        views.year_adopt_statutory,
        name="year_adopt_statutory",
    ),
]
