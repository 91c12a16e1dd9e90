"""Stored files follow the database transaction (core.files): written before commit,
published at commit, gone when any enclosing transaction rolls back.

The transactional tests commit for real; the campaign tests run inside the test's own
transaction, where the service's transaction is a savepoint that rolls back, and the end of
a request (``request_finished``) discards what was staged for it.
"""

import errno
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections, transaction

from audit.models import AuditEntry
from core import files as core_files
from core.files import STAGING_PREFIX, discard_uncommitted, save_on_commit
from organisation.documents import village_post_register_issue
from organisation.kinds import VILLAGE_POST_REGISTER
from paperwork import services as paperwork_services
from paperwork.models import Document
from recruitment.models import Campaign
from recruitment.services.hiring import campaign_confirm_hires
from tests import test_recruitment_campaign as campaign_tests
from tests.factories import (
    PersonFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)

# The campaign built by tests/test_recruitment_campaign.py, ready for confirm_hires.
world = campaign_tests.world
campaign = campaign_tests.campaign
run = campaign_tests.run
ranked = campaign_tests.ranked
publicised = campaign_tests.publicised
D, at = campaign_tests.D, campaign_tests.at

# Documents campaign_confirm_hires issues for the `ranked` campaign: a hiring notice and a
# contract for each of the three hires, and six result letters (three reserve, three not hired).
CONFIRM_HIRES_DOCUMENTS = 12


def all_files() -> set[Path]:
    """Every file under MEDIA_ROOT, staged ones included."""
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def staged_files() -> set[Path]:
    return {p for p in all_files() if p.name.startswith(STAGING_PREFIX)}


def end_of_request() -> None:
    """What the end of a request sends; the database connection stays open, as Django's test
    client keeps it (close_old_connections would close the test's transaction)."""
    request_finished.disconnect(close_old_connections)
    try:
        request_finished.send(sender=None)
    finally:
        request_finished.connect(close_old_connections)


def unsaved_document() -> Document:
    return Document(kind=VILLAGE_POST_REGISTER)


# --- the mechanism, with real commits -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_file_appears_under_its_name_only_when_the_transaction_commits():
    document = unsaved_document()
    with transaction.atomic():
        name = save_on_commit(document.file, "letter.pdf", b"%PDF-1 letter")
        storage = document.file.storage
        final = Path(storage.final_path(name))
        assert name.startswith("documents/") and name.endswith(".pdf")
        assert not final.exists()
        assert len(staged_files()) == 1
        # The writing transaction reads its own file under the final name.
        with storage.open(name) as handle:
            assert handle.read() == b"%PDF-1 letter"
        assert storage.exists(name)
    assert final.read_bytes() == b"%PDF-1 letter"
    assert not staged_files()
    end_of_request()
    assert final.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_file():
    before = all_files()
    document = unsaved_document()
    with pytest.raises(RuntimeError), transaction.atomic():
        save_on_commit(document.file, "letter.pdf", b"%PDF-1 letter")
        raise RuntimeError("later step failed")
    assert len(all_files()) == len(before) + 1  # staged, waiting for the end of the request
    end_of_request()
    assert all_files() == before
    assert not Path(document.file.storage.final_path(document.file.name)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_inside_a_committed_transaction_leaves_no_file():
    before = all_files()
    kept, dropped = unsaved_document(), unsaved_document()
    with transaction.atomic():
        save_on_commit(kept.file, "kept.pdf", b"kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            save_on_commit(dropped.file, "dropped.pdf", b"dropped")
            raise RuntimeError("inner step failed")
        # Known at once: the savepoint's on-commit callback is gone, the outer one waits.
        assert discard_uncommitted() == 1
    end_of_request()
    storage = kept.file.storage
    assert all_files() == before | {Path(storage.final_path(kept.file.name))}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_file_is_published_at_once():
    document = unsaved_document()
    name = save_on_commit(document.file, "letter.pdf", b"now")
    assert Path(document.file.storage.final_path(name)).read_bytes() == b"now"
    assert not staged_files()


@pytest.mark.django_db(transaction=True)
def test_a_name_being_staged_elsewhere_is_not_given_twice():
    first, second = unsaved_document(), unsaved_document()
    with transaction.atomic():
        a = save_on_commit(first.file, "same.pdf", b"first")
        b = save_on_commit(second.file, "same.pdf", b"second")
        assert a != b
    storage = first.file.storage
    assert Path(storage.final_path(a)).read_bytes() == b"first"
    assert Path(storage.final_path(b)).read_bytes() == b"second"
    # A name published since is not reused either.
    third = unsaved_document()
    with transaction.atomic():
        c = save_on_commit(third.file, "same.pdf", b"third")
    assert c not in (a, b)


# --- a full disk --------------------------------------------------------------------------------


@pytest.fixture
def township_with_posts(db, county, policy):
    township = TownshipFactory(county=county)
    village = VillageFactory(township=township)
    PostFactory(village=village, number=1, holder=PersonFactory(township=township))
    return township


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_fails_the_issue_before_commit_with_no_row_and_no_file(
    township_with_posts, county, monkeypatch
):
    user = UserFactory(county=county)
    before = all_files()
    written: list[int] = []

    def disk_full(fd, data):
        written.append(core_files.os.write(fd, bytes(data[:4096])))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(core_files, "_write", disk_full)
    with pytest.raises(OSError) as excinfo:
        village_post_register_issue(township=township_with_posts, by=user)
    assert excinfo.value.errno == errno.ENOSPC
    assert written == [4096]  # the write had begun
    assert not Document.objects.exists()  # committed state: no row
    assert not AuditEntry.objects.filter(content_type__model="document").exists()
    assert all_files() == before  # neither the partial staging file nor a final one


# --- a multi-document service failing at every step ------------------------------------------


def fail_at_document(monkeypatch, k: int) -> list[int]:
    """Make the audit row of the k-th document fail: after its PDF is rendered and staged,
    and after k-1 documents were issued completely."""
    calls: list[int] = []
    audit = paperwork_services.audit_record

    def audit_record(**kwargs):
        calls.append(1)
        if len(calls) == k:
            raise RuntimeError(f"failure at document {k}")
        return audit(**kwargs)

    monkeypatch.setattr(paperwork_services, "audit_record", audit_record)
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize("k", range(1, CONFIRM_HIRES_DOCUMENTS + 1))
def test_confirm_hires_failing_at_the_kth_document_leaves_no_file(
    world, publicised, ranked, monkeypatch, k
):
    end_of_request()
    files_before = all_files()
    documents_before = Document.objects.count()
    calls = fail_at_document(monkeypatch, k)
    with at(D(2026, 10, 16)), pytest.raises(RuntimeError, match=f"document {k}"):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    assert len(calls) == k
    assert Document.objects.count() == documents_before
    end_of_request()
    assert all_files() == files_before


@pytest.mark.django_db
def test_confirm_hires_failing_after_its_last_document_leaves_no_file(
    world, publicised, ranked, monkeypatch
):
    end_of_request()
    files_before = all_files()
    calls = fail_at_document(monkeypatch, CONFIRM_HIRES_DOCUMENTS + 1)

    def conclude(self):
        raise RuntimeError("failure after the documents")

    monkeypatch.setattr(Campaign, "conclude", conclude)
    with at(D(2026, 10, 16)), pytest.raises(RuntimeError, match="after the documents"):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    assert len(calls) == CONFIRM_HIRES_DOCUMENTS  # every k above was a real document
    assert len(staged_files()) >= CONFIRM_HIRES_DOCUMENTS  # until the request ends
    end_of_request()
    assert all_files() == files_before


@pytest.mark.django_db
def test_documents_of_a_successful_service_stay_readable_and_match_their_hash(
    world, publicised, ranked
):
    with at(D(2026, 10, 16)):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    end_of_request()  # the test's transaction is still open: nothing is discarded
    documents = list(Document.objects.filter(transition__in=["hire", "draft", "reject"]))
    assert len(documents) >= 9
    for document in documents:
        with document.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
