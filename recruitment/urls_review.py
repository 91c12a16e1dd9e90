"""Staff pages of the eligibility review and waivers (namespace "recruitment")."""

from django.urls import path

from recruitment import views_review as views

urlpatterns = [
    path(
        "campaigns/<int:pk>/applications/",
        views.application_list,
        name="review_list",
    ),
    path(
        "campaigns/<int:pk>/applications/export.xlsx",
        views.application_export,
        name="review_export",
    ),
    path("applications/<int:pk>/", views.application_detail, name="review_application"),
    path(
        "applications/<int:pk>/waiver/",
        views.waiver_request_view,
        name="waiver_request",
    ),
    path("attachments/<int:pk>/", views.attachment, name="application_attachment"),
    path("waivers/", views.waiver_list, name="waiver_list"),
    path("waivers/<int:pk>/", views.waiver_decide_view, name="waiver_decide"),
]
