"""Education levels and sex as recorded on applications and person records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    """Education levels in ascending order; 高中 and 中专 rank the same."""

    PRIMARY = "primary", _("Primary school or below (小学及以下)")
    JUNIOR_HIGH = "junior_high", _("Junior high school (初中)")
    HIGH_SCHOOL = "high_school", _("High school (高中)")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational school (中专)")
    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor (本科)")
    POSTGRADUATE = "postgraduate", _("Postgraduate (研究生)")


EDUCATION_RANK: dict[str, int] = {
    Education.PRIMARY: 0,
    Education.JUNIOR_HIGH: 1,
    Education.HIGH_SCHOOL: 2,
    Education.SECONDARY_VOCATIONAL: 2,
    Education.JUNIOR_COLLEGE: 3,
    Education.BACHELOR: 4,
    Education.POSTGRADUATE: 5,
}


def education_meets(level: str, minimum: str) -> bool:
    """True when ``level`` is ``minimum`` or above (以上 includes the level itself)."""
    return EDUCATION_RANK[level] >= EDUCATION_RANK[minimum]
