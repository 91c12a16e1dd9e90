"""Public pages for applicants (no sign-in), mounted at /apply/."""

from django.urls import path

from recruitment import public_views as views

app_name = "apply"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/check/", views.campaign_check, name="check"),
    path("<int:pk>/announcement/", views.announcement_download, name="announcement"),
    path("submitted/<int:pk>/", views.submitted, name="submitted"),
    path("status/", views.lookup, name="lookup"),
    path("status/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
