"""Pages of the target-responsibility agreements (``agreements.views``), in the "agreements"
namespace, mounted in the staff site at /agreements/."""

from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("draft/", views.agreement_draft, name="draft"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/values/", views.agreement_values, name="values"),
    path("<int:pk>/sign/", views.agreement_sign_view, name="sign"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create_view, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
]
