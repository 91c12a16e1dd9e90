"""Training pages, mounted in the staff site at /training/."""

from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("new/", views.course_new, name="new"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("<int:pk>/", views.course_detail, name="detail"),
]
