from django.urls import path

from policy import views

app_name = "policy"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/sheet/", views.policy_sheet_issue, name="sheet"),
]
