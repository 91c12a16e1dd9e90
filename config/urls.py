"""URL configuration.

The staff pages live inside the viewflow site (``web.site``), mounted at "/": the dashboard
("" → ``web:``), ``organisation/``, ``policy/``, ``people/``, ``documents/`` (``paperwork:``)
and ``audit/``. Each app still owns its ``urls.py`` and its namespace; the site only wraps
them in the Material layout and the navigation.

Uploaded files and issued documents are never served as static media: every download goes
through a view that checks scope and permission.
"""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.contrib.auth import AuthViewset

from paperwork import views as paperwork_views
from web.site import site

# The administration site is the product's, in its language, not "Django administration".
admin.site.site_header = _("Cunpin administration")
admin.site.site_title = _("Cunpin administration")

urlpatterns = [
    # login/ and logout/, named "login" and "logout" (settings.LOGIN_URL).
    path("accounts/", AuthViewset(allow_password_change=False, with_profile_view=False).urls),
    path("verify/", paperwork_views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", paperwork_views.verify, name="verify"),
    # Applicants: open campaigns, registration, status and their own documents.
    path("apply/", include("recruitment.public_urls")),
    # Public disclosure (民主监督) of the townships county HR has switched on.
    path("public/", include("disclosure.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API, its OpenAPI schema and the schema's pages (api/; README, "API").
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", site.urls),
]
