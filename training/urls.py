"""Training pages, mounted in the staff site at /training/."""

from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("export.xlsx", views.course_export, name="export"),
    path("new/", views.course_new, name="new"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export.xlsx", views.compliance_export, name="compliance_export"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("<int:pk>/attendance.xlsx", views.attendance_export, name="attendance_export"),
]
