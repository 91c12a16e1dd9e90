from django.urls import path

from archive import views as archive_views
from people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.xlsx", views.person_export, name="export"),
    path("new/", views.person_create_view, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_update_view, name="update"),
    path("<int:pk>/reveal/", views.person_reveal_view, name="reveal"),
    # The personnel archive (archive.views).
    path("<int:pk>/archive/", archive_views.person_archive_view, name="archive"),
    path(
        "<int:pk>/archive/extract/",
        archive_views.archive_extract_issue_view,
        name="archive_issue",
    ),
]
