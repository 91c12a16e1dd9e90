"""Roles of DESIGN.md and what each may do."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COUNTY_HR = "county_hr", _("County HR officer")
    TOWNSHIP_COMMITTEE = "township_committee", _("Township committee member")
    TOWNSHIP_OFFICE = "township_office", _("Township office staff")
    VILLAGE_COMMITTEE = "village_committee", _("Village committee")
    DIRECTOR = "director", _("Director")


class Scope(models.TextChoices):
    """How far a role sees: the field of User that must be set for it."""

    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    SELF = "self", _("Own records")


ROLE_SCOPE: dict[str, str] = {
    Role.ADMINISTRATOR: Scope.COUNTY,
    Role.COUNTY_HR: Scope.COUNTY,
    Role.TOWNSHIP_COMMITTEE: Scope.TOWNSHIP,
    Role.TOWNSHIP_OFFICE: Scope.TOWNSHIP,
    Role.VILLAGE_COMMITTEE: Scope.VILLAGE,
    Role.DIRECTOR: Scope.SELF,
}

# Permissions granted by role, as "app_label.codename". The administrator is a superuser.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(),
    Role.COUNTY_HR: frozenset(
        {
            "organisation.view_village",
            "organisation.change_village",
            "organisation.import_villages",
            "policy.view_policy",
            "policy.add_policy",
            "people.view_person",
            "people.change_person",
            "people.view_full_identity",
            "audit.view_auditentry",
            "paperwork.view_document",
            "paperwork.add_document",
            # Recruitment: oversight, waivers, escalated tasks and the working-day calendar
            "recruitment.view_campaign",
            "recruitment.approve_waiver",
            "workflows.view_campaignprocess",
            "workdays.view_dayoverride",
            "workdays.add_dayoverride",
            "workdays.change_dayoverride",
            "workdays.delete_dayoverride",
            "workdays.add_calendaryear",
            "workdays.delete_calendaryear",
        }
    ),
    Role.TOWNSHIP_COMMITTEE: frozenset(
        {
            "organisation.view_village",
            "organisation.change_village",
            "policy.view_policy",
            "people.view_person",
            "people.change_person",
            "audit.view_auditentry",
            "paperwork.view_document",
            "paperwork.add_document",
            # Runs the township's recruitment campaigns and works their tasks
            "recruitment.view_campaign",
            "recruitment.run_campaign",
            "workflows.view_campaignprocess",
        }
    ),
    Role.TOWNSHIP_OFFICE: frozenset(
        {
            "organisation.view_village",
            "policy.view_policy",
            "people.view_person",
            "paperwork.view_document",
            "paperwork.add_document",
            "recruitment.view_campaign",
            "workflows.view_campaignprocess",
        }
    ),
    Role.VILLAGE_COMMITTEE: frozenset(
        {
            "organisation.view_village",
            "policy.view_policy",
            "people.view_person",
            "paperwork.view_document",
        }
    ),
    Role.DIRECTOR: frozenset({"policy.view_policy", "paperwork.view_document"}),
}
