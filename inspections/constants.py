"""Choices of the monthly inspections (月督查) and their spot-check draws (暗访抽签)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Under way")
    ENDED = "ended", _("Ended")


# The one algorithm of a draw, recorded on it by this name so that a later version of the
# product can tell how an old draw was made and still reproduce it. It uses only
# ``Random.random()``, whose sequence for a given integer seed Python guarantees not to change
# between versions (``Random.sample`` carries no such guarantee): a partial Fisher–Yates
# shuffle of the candidate ids in ascending order, the first ``count`` taken.
DRAW_ALGORITHM = (
    "r = random.Random(int(seed, 16)); ids = candidate ids ascending; "
    "for i in range(count): j = i + int(r.random() * (len(ids) - i)); swap ids[i], ids[j]; "
    "result = ids[:count]"
)
