"""Choices of the monthly inspections (月督查) and their spot-check draws (暗访抽签)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Under way")
    ENDED = "ended", _("Ended")


# The one algorithm of a draw, recorded on it by this name so that a later version of the
# product can tell how an old draw was made and still reproduce it.
DRAW_ALGORITHM = "random.Random(int(seed, 16)).sample(candidate ids ascending, count)"
