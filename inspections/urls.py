"""Pages of the monthly inspections (``inspections.views``), in the "inspections" namespace,
mounted in the staff site at /inspections/."""

from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.day_list, name="list"),
    path("new/", views.day_new, name="new"),
    path("<int:pk>/", views.day_detail, name="day"),
    path("<int:pk>/start/", views.day_begin, name="start"),
    path("<int:pk>/end/", views.day_finish, name="end"),
    path("<int:pk>/villages/<int:village>/record/", views.record_new, name="record"),
    path("records/<int:pk>/correct/", views.record_fix, name="correct"),
]
