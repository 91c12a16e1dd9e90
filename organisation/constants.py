from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipKind(models.TextChoices):
    TOWNSHIP = "township", _("Township (乡)")
    TOWN = "town", _("Town (镇)")
    SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("Village (村)")
    RESIDENTS = "residents", _("Residents' committee (居)")
    COMMUNITY = "community", _("Community (社区)")


class PostStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SURPLUS = "surplus", _("Surplus (above quota, kept while occupied)")
    ABOLISHED = "abolished", _("Abolished")
