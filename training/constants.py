from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    """Seed 001, 教育培训机制: the county's induction before a director takes up duties, the
    county's refresher once a year, and the township's sessions through the year."""

    INDUCTION = "induction", _("County induction training")
    REFRESHER = "refresher", _("County refresher training")
    TOWNSHIP_SESSION = "township_session", _("Township training session")


# Run by county HR for the whole county (no township).
COUNTY_KINDS = [CourseKind.INDUCTION, CourseKind.REFRESHER]
