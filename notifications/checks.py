"""System checks of the email settings (``manage.py check``; the server runs them at start)."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def check_email_settings(app_configs, **kwargs):
    errors = []
    try:
        import_string(settings.EMAIL_BACKEND)
    except ImportError:
        errors.append(
            Error(
                f"EMAIL_BACKEND names no email backend: {settings.EMAIL_BACKEND!r}.",
                hint="Set EMAIL_BACKEND to console (the default: emails are printed), smtp "
                "(sent through EMAIL_HOST) or a backend's dotted path.",
                id="notifications.E002",
            )
        )
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        errors.append(
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both set; a mail server speaks one.",
                hint="STARTTLS on port 587: EMAIL_USE_TLS=true; implicit TLS on port 465: "
                "EMAIL_USE_SSL=true.",
                id="notifications.E001",
            )
        )
    return errors
