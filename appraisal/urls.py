"""The annual appraisal and rewards pages, mounted at /appraisal/ (``appraisal:``)."""

from django.urls import path

from appraisal import views

app_name = "appraisal"

urlpatterns = [
    path("", views.overview, name="index"),
    path("<int:township_id>/<int:year>/", views.township_year, name="township_year"),
    path(
        "<int:township_id>/<int:year>/export.xlsx",
        views.township_year_export,
        name="township_year_export",
    ),
    path("<int:township_id>/open/", views.open_year, name="open"),
    path("rate/<int:pk>/", views.rate, name="rate"),
    path("confirm/<int:pk>/", views.confirm, name="confirm"),
    path("<int:township_id>/<int:year>/propose/", views.propose, name="propose"),
    path("settle/<int:pk>/", views.settle, name="settle"),
]
