"""Pages of resignation, termination and dismissal, mounted in the staff site at /term/
(namespace ``endings``)."""

from django.urls import path

from contracts import views_endings as views

app_name = "endings"

urlpatterns = [
    path("", views.index, name="index"),
    path("in-post/", views.in_post, name="in_post"),
    path("resign/", views.resign, name="resign"),
    path("contracts/<int:pk>/resign/", views.resignation_record, name="resignation_record"),
    path("contracts/<int:pk>/terminate/", views.terminate, name="terminate"),
    path("contracts/<int:pk>/cases/new/", views.case_new, name="case_new"),
    path("resignations/", views.resignation_list, name="resignation_list"),
    path("resignations/<int:pk>/", views.resignation_detail, name="resignation_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("births/", views.births, name="births"),
]
