"""URL configuration.

Uploaded files and issued documents are never served as static media: every download goes
through a view that checks scope and permission.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
