from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.month_list, name="months"),
    path("open/", views.month_open, name="open"),
    path("months/<int:pk>/", views.month_detail, name="month"),
    path("months/<int:pk>/export.xlsx", views.month_export, name="month_export"),
    path("months/<int:pk>/scores/", views.scores_save, name="scores"),
    path("months/<int:pk>/scores/<int:score_pk>/", views.score_edit, name="score"),
    path("months/<int:pk>/<str:action>/", views.month_action, name="action"),
    path("county/", views.county_ranking_page, name="county"),
    path("county/export.xlsx", views.county_ranking_export, name="county_export"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/<int:year>/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:year>/copy/", views.scheme_copy, name="scheme_copy"),
]
