"""/api/v1/: the resources (``api.views``), the OpenAPI schema and its page (Swagger UI)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("townships", views.TownshipViewSet, basename="township")
router.register("villages", views.VillageViewSet, basename="village")
router.register("posts", views.PostViewSet, basename="post")
router.register("people", views.PersonViewSet, basename="person")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("vacancies", views.VacancyViewSet, basename="vacancy")
router.register("courses", views.CourseViewSet, basename="course")
router.register("attendances", views.AttendanceViewSet, basename="attendance")
router.register("monthly-scores", views.MonthlyScoreViewSet, basename="monthlyscore")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
