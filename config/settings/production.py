"""Production settings: PostgreSQL through DATABASE_URL, HTTPS only, a real secret key."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["CUNPIN_PRODUCTION"] = "1"

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, MIDDLEWARE, SECRET_KEY, STORAGES, env_bool

DEBUG = False
CUNPIN_PRODUCTION = True
# The demo county (load_demo) creates accounts whose passwords are printed in the README: it
# has no place in a real installation.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "demo"]
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random string of at least 50 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents print this address in their links and QR codes: production names its own (a
# deployment check fails without it, paperwork.E004).
CUNPIN_PUBLIC_BASE_URL = os.environ.get("CUNPIN_PUBLIC_BASE_URL", "")
