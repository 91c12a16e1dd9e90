"""The import of the directors in post (``contracts.views_import``), a section of the staff
site (``web.site``) at ``contracts/import/``."""

from django.urls import path

from contracts import views_import

app_name = "contracts_import"

urlpatterns = [
    path("", views_import.directors_import, name="import"),
    path("template.csv", views_import.directors_import_template, name="template"),
]
