"""Staff pages of vacancies (``contracts.views_vacancies``), in the "vacancies" namespace,
mounted in the staff site at /vacancies/."""

from django.urls import path

from contracts import views_vacancies as views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("export.xlsx", views.vacancy_export, name="export"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
    path("<int:pk>/acting/", views.vacancy_acting, name="acting"),
    path("<int:pk>/offer/", views.vacancy_offer, name="offer"),
    path("offers/<int:pk>/answer/", views.offer_answer, name="answer"),
    path("<int:pk>/refill/", views.vacancy_refill, name="refill"),
]
