"""Public disclosure pages (no sign-in), mounted at /public/."""

from django.urls import path

from disclosure import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.township, name="township"),
    path("<int:pk>/months/<int:year>/<int:month>/", views.month, name="month"),
    path("<int:pk>/results/<int:year>/", views.year, name="year"),
    path("<int:pk>/campaigns/<int:campaign>/", views.campaign, name="campaign"),
    path("<int:pk>/documents/<int:document>/", views.document, name="document"),
]
