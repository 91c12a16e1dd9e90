from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.township_list, name="township_list"),
    path("townships/<int:pk>/", views.township_detail, name="township_detail"),
    path("townships/<int:pk>/export.xlsx", views.village_export, name="village_export"),
    path(
        "townships/<int:pk>/post-register/",
        views.township_register_issue,
        name="township_register",
    ),
    path(
        "townships/<int:pk>/disclosure/",
        views.township_disclosure,
        name="township_disclosure",
    ),
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    path(
        "villages/<int:pk>/population/",
        views.village_population_change,
        name="village_population",
    ),
    path("import/", views.village_import, name="import"),
    path("import/template.csv", views.village_import_template, name="import_template"),
]
