"""Pages of the early warnings and yellow cards, mounted in the staff site at /warnings/
(namespace ``earlywarnings``)."""

from django.urls import path

from earlywarnings import views

app_name = "earlywarnings"

urlpatterns = [
    path("", views.warning_list, name="list"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("yellow-cards/", views.yellowcard_list, name="yellowcard_list"),
    path("yellow-cards/new/", views.yellowcard_new, name="yellowcard_new"),
    path("yellow-cards/<int:pk>/", views.yellowcard_detail, name="yellowcard_detail"),
]
