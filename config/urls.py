"""URL configuration.

Uploaded files and issued documents are never served as static media: every download goes
through a view that checks scope and permission.
"""

from django.contrib import admin
from django.urls import include, path

from paperwork import views as paperwork_views

urlpatterns = [
    path("", include("web.urls")),
    path("organisation/", include("organisation.urls")),
    path("policy/", include("policy.urls")),
    path("people/", include("people.urls")),
    path("documents/", include("paperwork.urls")),
    path("verify/<str:code>/", paperwork_views.verify, name="verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
