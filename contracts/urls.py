"""Staff pages of the contract term, mounted in the staff site at /contracts/."""

from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("export.xlsx", views.contract_export, name="export"),
    path("<int:pk>/", views.contract_detail, name="detail"),
]
