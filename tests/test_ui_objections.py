"""An objection counts from the day it was received: one received within the notice period
may be recorded after it ends (until the hires are confirmed); one received after it is
refused once, naming the last day."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recruitment.constants import CampaignState
from recruitment.models import Objection
from recruitment.services.notice import objection_record
from tests import test_recruitment_campaign as base

D, at = base.D, base.at
# The campaign module's world: a campaign ranked, then publicised on 30 September 2026.
world, campaign, run = base.world, base.campaign, base.run
ranked, publicised = base.ranked, base.publicised

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.test_recruitment_campaign"),
    pytest.mark.usefixtures("english_messages"),
]

# The notice of ``publicised`` runs from 1 October 2026 to 15 October 2026 (National Day).


def test_an_objection_received_in_time_is_recorded_after_the_notice(world, publicised, ranked):
    assert publicised.notice_ends_on == D(2026, 10, 15)
    with at(D(2026, 10, 19)):
        objection = objection_record(
            application=ranked["zhang"], received_on=D(2026, 10, 15), lodged_by="村民（来信）",
            content="反映其户籍不在本村。", by=world.committee,
        )  # fmt: skip
    assert objection.received_on == D(2026, 10, 15)


def test_an_objection_received_after_the_notice_is_refused_naming_the_date(
    world, publicised, ranked
):
    with at(D(2026, 10, 19)), pytest.raises(ValidationError) as error:
        objection_record(
            application=ranked["zhang"], received_on=D(2026, 10, 16), lodged_by="",
            content="迟到的异议", by=world.committee,
        )  # fmt: skip
    assert set(error.value.error_dict) == {"received_on"}
    assert "ended on 2026-10-15" in error.value.messages[0]
    assert "2026-10-16" in error.value.messages[0]
    assert not Objection.objects.exists()


def test_the_page_records_a_late_entry_and_shows_a_refusal_once(client, world, publicised, ranked):
    url = reverse("recruitment:objection_record", args=[publicised.pk])
    client.force_login(world.committee)
    with at(D(2026, 10, 20)):
        detail = client.get(reverse("recruitment:campaign_detail", args=[publicised.pk]))
        assert url in detail.content.decode()  # still offered after the notice ended
        response = client.post(
            url, {"application": ranked["zhang"].pk, "received_on": "2026-10-16", "content": "迟"}
        )
        assert response.status_code == 400
        assert response.content.decode().count("came too late") == 1
        response = client.post(
            url, {"application": ranked["zhang"].pk, "received_on": "2026-10-14", "content": "x"}
        )
        assert response.status_code == 302
    assert Objection.objects.get().received_on == D(2026, 10, 14)
    publicised.refresh_from_db()
    assert publicised.state == CampaignState.PUBLICISED
