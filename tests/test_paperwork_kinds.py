"""Document kinds are declared and registered by the apps that issue them; the engine keeps
only the registry (paperwork.kinds)."""

import ast
import inspect
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

import contracts.paperwork
import recruitment.paperwork
from accounts.constants import Role
from agreements import documents as agreement_documents
from appraisal import documents as appraisal_documents
from assessment import documents as assessment_documents
from contracts import documents as contract_documents
from contracts import endings_documents, renewal_documents, vacancy_documents
from contracts.kinds import CONTRACT
from earlywarnings import documents as warnings_documents
from inspections import documents as inspection_documents
from organisation.kinds import VILLAGE_POST_REGISTER
from paperwork import checks, kinds, table
from paperwork import models as paperwork_models
from paperwork.kinds import Kind
from paperwork.models import Document
from paperwork.table import all_entries, entries_for
from policy.documents import policy_sheet_issue
from policy.kinds import POLICY_SHEET
from recruitment import kinds as recruitment_kinds
from recruitment.documents import applicant, campaign, exam
from tests.factories import UserFactory
from training import documents as training_documents

PAPERWORK_DIR = Path(settings.BASE_DIR) / "paperwork"
APP_KIND_CODES = {
    "village_post_register",
    "policy_sheet",
    "recruitment_announcement",
    "registration_form",
    "eligibility_result",
    "admission_ticket",
    "score_ranking_list",
    "public_notice",
    "hiring_notice",
    "not_hired_letter",
    "contract",
}


@pytest.fixture
def registry():
    """The registry as it is, restored after the test adds to it."""
    saved, saved_conflicts = dict(kinds._kinds), list(kinds.conflicts)
    yield
    kinds._kinds.clear()
    kinds._kinds.update(saved)
    kinds.conflicts[:] = saved_conflicts


def kind(code: str = "test_letter", **overrides) -> Kind:
    spec = {
        "printed_title": "测试函",
        "label": "Test letter",
        "template": "paperwork/recruitment/hiring_notice.html",
        "version": 1,
        **overrides,
    }
    return Kind(code, **spec)


# --- the engine knows no app's kinds --------------------------------------------------------


def test_the_engine_names_no_kind_of_any_app():
    for path in PAPERWORK_DIR.rglob("*.py"):
        if "migrations" in path.parts:
            continue  # 0001/0002 froze the choices of their day
        source = path.read_text()
        named = sorted(code for code in APP_KIND_CODES if f'"{code}"' in source)
        assert not named, f"{path.relative_to(settings.BASE_DIR)} names {named}"


@pytest.mark.parametrize("module", ["models.py", "kinds.py"])
def test_models_and_kinds_import_nothing_inside_functions(module):
    tree = ast.parse((PAPERWORK_DIR / module).read_text())
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    inner = [
        (f.name, node.lineno)
        for f in functions
        for node in ast.walk(f)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert not inner


def test_document_kind_choices_come_from_the_registry_not_a_frozen_list():
    field = Document._meta.get_field("kind")
    _name, _path, _args, options = field.deconstruct()
    assert options["choices"] is kinds.kind_choices
    assert set(dict(field.choices)) == kinds.codes() >= APP_KIND_CODES  # type: ignore[arg-type]


def test_each_app_registers_its_own_kinds():
    assert kinds.get("village_post_register") is VILLAGE_POST_REGISTER
    assert kinds.get("policy_sheet") is POLICY_SHEET
    assert kinds.get("contract") is CONTRACT
    assert kinds.get("hiring_notice") is recruitment_kinds.HIRING_NOTICE
    assert VILLAGE_POST_REGISTER.template == "paperwork/village_post_register.html"
    with pytest.raises(LookupError):
        kinds.get("no_such_kind")


def test_the_old_name_still_answers_with_the_registered_kind():
    assert paperwork_models.DocumentKind.NOT_HIRED_LETTER is recruitment_kinds.NOT_HIRED_LETTER
    with pytest.raises(AttributeError):
        paperwork_models.DocumentKind.NO_SUCH_KIND  # noqa: B018


# --- the check paperwork.E003 over the registry ---------------------------------------------


def test_the_registered_kinds_pass_the_check():
    assert checks.check_document_kinds() == []


def test_a_kind_whose_template_is_missing_fails_the_check(registry):
    kinds.register(kind(template="paperwork/no_such_template.html"))
    [error] = checks.check_document_kinds()
    assert error.id == "paperwork.E003"
    assert "no_such_template.html" in error.msg


def test_a_code_registered_twice_differently_fails_the_check(registry):
    kinds.register(kind())
    kinds.register(kind())  # the same again: nothing to report
    assert checks.check_document_kinds() == []
    kinds.register(kind(version=2))
    [error] = checks.check_document_kinds()
    assert error.id == "paperwork.E003" and "registered twice" in error.msg
    assert kinds.get("test_letter").version == 1


@pytest.mark.parametrize("code", ["Hiring Notice", "x" * 49])
def test_a_code_that_does_not_fit_the_column_fails_the_check(registry, code):
    kinds.register(kind(code))
    [error] = checks.check_document_kinds()
    assert error.id == "paperwork.E003"


# --- issuers are functions an editor can jump to ----------------------------------------------


def test_the_table_names_its_issuers_as_functions():
    documents_modules = {
        applicant,
        campaign,
        exam,
        contract_documents,
        endings_documents,
        renewal_documents,
        vacancy_documents,
        training_documents,
        inspection_documents,
        agreement_documents,
        appraisal_documents,
        warnings_documents,
        assessment_documents,
    }
    for entry in all_entries():
        assert inspect.isfunction(entry.issue)
        assert inspect.getmodule(entry.issue) in documents_modules, entry.issue
    for module in (recruitment.paperwork, contracts.paperwork):
        source = inspect.getsource(module)
        assert "import_module" not in source
        assert '"recruitment.documents' not in source and '"contracts.' not in source


def test_each_app_declares_its_documents_in_the_one_table():
    declared = {(e.model._meta.app_label, e.transition) for e in all_entries()}
    assert ("recruitment", "hire") in declared and ("contracts", "sign") in declared
    # Declaring again (a module imported twice) adds nothing.
    before = all_entries()
    table.declare(*before)
    assert table.all_entries() == before


def test_services_issue_documents_only_through_the_table():
    """No service calls an issuer itself: each calls ``issue_for``, so the table is the one
    place that says which document a transition produces."""
    services = [
        *(Path(settings.BASE_DIR) / "contracts" / "services").glob("*.py"),
        *(Path(settings.BASE_DIR) / "recruitment" / "services").glob("*.py"),
        Path(settings.BASE_DIR) / "contracts" / "sweep_steps.py",
        Path(settings.BASE_DIR) / "agreements" / "services.py",
        *(Path(settings.BASE_DIR) / "appraisal" / "services").glob("*.py"),
        *(Path(settings.BASE_DIR) / "assessment" / "services").glob("*.py"),
        Path(settings.BASE_DIR) / "training" / "services.py",
        Path(settings.BASE_DIR) / "inspections" / "services.py",
        Path(settings.BASE_DIR) / "earlywarnings" / "services.py",
    ]
    issuers = {entry.issue.__name__ for entry in all_entries()}
    for path in services:
        source = path.read_text()
        called = sorted(name for name in issuers if f"{name}(" in source)
        assert not called, f"{path.relative_to(settings.BASE_DIR)} calls {called}"


def test_entries_are_found_by_model_class_and_transition():
    from recruitment.models import Application, Campaign

    assert [e.issue for e in entries_for(Campaign, "announce")] == [campaign.issue_announcement]
    assert [e.kind for e in entries_for(Application, "hire")] == [recruitment_kinds.HIRING_NOTICE]
    assert entries_for(Application, "announce") == []


# --- labels are shown in Chinese --------------------------------------------------------------


@pytest.fixture
def sheet(db, policy, hr):
    return policy_sheet_issue(policy=policy, by=hr)


def test_the_kind_label_of_a_stored_document_is_chinese(sheet):
    stored = Document.objects.get(pk=sheet.pk)
    with translation.override("zh-hans"):
        assert stored.get_kind_display() == "政策要点"
    assert stored.kind_title == "村级人口主任管理政策要点"


def test_verify_page_list_and_admin_show_the_chinese_kind(sheet, client, county):
    page = client.get(reverse("verify", args=[sheet.verification_code])).content.decode()
    assert "村级人口主任管理政策要点" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(sheet.produced_by)
    listing = client.get(reverse("paperwork:list")).content.decode()
    assert '<option value="policy_sheet">政策要点</option>' in listing

    admin = UserFactory(county=county, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    changelist = client.get(reverse("admin:paperwork_document_changelist")).content.decode()
    assert "政策要点" in changelist
    assert ">policy_sheet<" not in changelist
    change = client.get(
        reverse("admin:paperwork_document_change", args=[sheet.pk])
    ).content.decode()
    assert "政策要点" in change
