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
            "organisation.switch_disclosure",
            "policy.view_policy",
            "policy.add_policy",
            "people.view_person",
            "people.change_person",
            "people.view_full_identity",
            "people.issue_archive_extract",
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
            # The contract term: oversight, filing, induction, the import, escalated vacancies
            "contracts.view_contract",
            "contracts.file_contract",
            "contracts.import_directors",
            "contracts.view_vacancy",
            "contracts.view_resignation",
            "contracts.view_renewalreview",
            "contracts.view_dismissalcase",
            "contracts.file_dismissalcase",
            "contracts.view_birthrecord",
            "workflows.view_contractprocess",
            "workflows.view_vacancyprocess",
            "workflows.view_resignationprocess",
            "workflows.view_renewalprocess",
            "workflows.view_dismissalprocess",
            # Training, agreements, the monthly cycle, appraisal and rewards (issue 8)
            "training.view_course",
            "training.add_course",
            "training.change_course",
            "training.record_attendance",
            "agreements.view_agreement",
            "agreements.view_agreementtemplate",
            "agreements.add_agreementtemplate",
            "agreements.change_agreementtemplate",
            "assessment.view_scoringscheme",
            "assessment.add_scoringscheme",
            "assessment.view_assessmentmonth",
            "assessment.view_monthlyscore",
            "inspections.view_inspectionday",
            "appraisal.view_annualappraisal",
            "appraisal.confirm_appraisal",
            "appraisal.view_reward",
            "appraisal.settle_rewards",
            "earlywarnings.view_warning",
            "earlywarnings.view_yellowcard",
            "earlywarnings.issue_yellowcard",
            "jobs.view_job",
            "workflows.view_monthprocess",
            "workflows.view_appraisalprocess",
            "workflows.view_settlementprocess",
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
            # Signs contracts and decides on the term of the township's directors
            "contracts.view_contract",
            "contracts.manage_term",
            "contracts.view_vacancy",
            "contracts.view_resignation",
            "contracts.view_renewalreview",
            "contracts.view_dismissalcase",
            "contracts.open_dismissalcase",
            "contracts.view_birthrecord",
            "contracts.add_birthrecord",
            "contracts.change_birthrecord",
            "workflows.view_contractprocess",
            "workflows.view_vacancyprocess",
            "workflows.view_resignationprocess",
            "workflows.view_renewalprocess",
            "workflows.view_dismissalprocess",
            # Agreements, publishing and settling months, appraisal ratings, rewards
            "training.view_course",
            "agreements.view_agreement",
            "agreements.manage_agreement",
            "assessment.view_scoringscheme",
            "assessment.view_assessmentmonth",
            "assessment.view_monthlyscore",
            "assessment.publish_month",
            "inspections.view_inspectionday",
            "appraisal.view_annualappraisal",
            "appraisal.rate_appraisal",
            "appraisal.view_reward",
            "appraisal.settle_rewards",
            "earlywarnings.view_warning",
            "earlywarnings.view_yellowcard",
            "jobs.view_job",
            "workflows.view_monthprocess",
            "workflows.view_appraisalprocess",
            "workflows.view_settlementprocess",
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
            "contracts.view_contract",
            "contracts.view_vacancy",
            "contracts.view_birthrecord",
            "contracts.add_birthrecord",
            "contracts.change_birthrecord",
            # Township sessions, agreements, inspections and scoring
            "training.view_course",
            "training.add_course",
            "training.change_course",
            "training.record_attendance",
            "agreements.view_agreement",
            "agreements.manage_agreement",
            "assessment.view_scoringscheme",
            "assessment.view_assessmentmonth",
            "assessment.view_monthlyscore",
            "assessment.score_month",
            "inspections.view_inspectionday",
            "inspections.run_inspection",
            "earlywarnings.view_warning",
            "jobs.view_job",
            "workflows.view_monthprocess",
        }
    ),
    Role.VILLAGE_COMMITTEE: frozenset(
        {
            "organisation.view_village",
            "policy.view_policy",
            "people.view_person",
            "paperwork.view_document",
            "contracts.view_contract",
            "training.view_course",
            "agreements.view_agreement",
            "assessment.view_monthlyscore",
            "appraisal.view_annualappraisal",
            "earlywarnings.view_warning",
        }
    ),
    # A director sees their own contract, resignation and cases (scope "self").
    Role.DIRECTOR: frozenset(
        {
            "policy.view_policy",
            "paperwork.view_document",
            "contracts.view_contract",
            "contracts.view_resignation",
            "contracts.view_dismissalcase",
            "training.view_course",
            "agreements.view_agreement",
            "assessment.view_monthlyscore",
            "appraisal.view_annualappraisal",
            "appraisal.view_reward",
            "earlywarnings.view_warning",
        }
    ),
}
