from django.urls import path

from workflows import views_renewal

app_name = "renewals"

urlpatterns = [
    path("", views_renewal.review_list, name="list"),
    path("<int:pk>/", views_renewal.RenewalDecideView.as_view(), name="review"),
]
