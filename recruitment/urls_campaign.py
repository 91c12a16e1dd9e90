"""Staff pages of campaigns (recruitment.views_campaign), inside the "recruitment" namespace."""

from django.urls import path

from recruitment import views_campaign as views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/export.xlsx", views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/reserve/", views.campaign_reserve, name="campaign_reserve"),
    path(
        "campaigns/<int:pk>/objections/new/",
        views.objection_record_view,
        name="objection_record",
    ),
    path("objections/<int:pk>/", views.objection_decide_view, name="objection_decide"),
]
