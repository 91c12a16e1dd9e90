"""Staff pages of the exam (recruitment.views_exam), inside the "recruitment" namespace."""

from django.urls import path

from recruitment import views_exam as views

urlpatterns = [
    path("campaigns/<int:pk>/exam/", views.exam_home, name="exam_home"),
    path("campaigns/<int:pk>/exam/admit/", views.exam_admit, name="exam_admit"),
    path("campaigns/<int:pk>/exam/scores/", views.exam_scores, name="exam_scores"),
    path("campaigns/<int:pk>/exam/scores/import/", views.exam_import, name="exam_import"),
    path(
        "campaigns/<int:pk>/exam/scores/template.csv",
        views.exam_import_template,
        name="exam_import_template",
    ),
    path("campaigns/<int:pk>/exam/interviews/", views.exam_interviews, name="exam_interviews"),
    path(
        "applications/<int:pk>/interview/",
        views.exam_interview_marks,
        name="exam_interview_marks",
    ),
    path(
        "applications/<int:pk>/interview/absent/",
        views.exam_interview_absent,
        name="exam_interview_absent",
    ),
    path(
        "applications/<int:pk>/mend-absence/",
        views.exam_absence_mend,
        name="exam_absence_mend",
    ),
    path("campaigns/<int:pk>/exam/ranking/", views.exam_ranking, name="exam_ranking"),
    path("offers/<int:pk>/tie-break/", views.exam_tie_break, name="exam_tie_break"),
]
