"""The contract pages (contracts.views): the township's and county's contract list (filters,
order, paging, a fixed number of queries), one contract's page, and the director's own
record (我的聘期)."""

import datetime
import random
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from bench.term_lists import add_contracts, list_queries
from contracts.constants import CaseState, ContractOrigin, ContractState, VacancyCause, VacancyState
from contracts.models import Contract, DismissalCase, Resignation, Vacancy
from tests.factories import PersonFactory, PostFactory, UserFactory, VillageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, tzinfo=SHANGHAI), tick=False):
        yield


def make_contract(township, policy, name, *, state=ContractState.ACTIVE, ends=None, village=None):
    village = village or VillageFactory(township=township, name=f"{name}村")
    ends = ends or datetime.date(2028, 12, 31)
    return Contract.objects.create(
        person=PersonFactory(township=township, village=village, name=name),
        post=PostFactory(village=village),
        township=township,
        policy=policy,
        state=state,
        term_years=3,
        start_date=ends.replace(year=ends.year - 3) + datetime.timedelta(days=1),
        end_date=ends,
        monthly_pay=Decimal("1700.00"),
    )


@pytest.fixture
def contracts(township, other_township, policy):
    return {
        "zhang": make_contract(township, policy, "张三", ends=datetime.date(2027, 1, 31)),
        "an": make_contract(township, policy, "安宁", ends=datetime.date(2029, 3, 31)),
        "li": make_contract(
            township, policy, "李四", state=ContractState.DRAFTED, ends=datetime.date(2026, 12, 20)
        ),
        "foreign": make_contract(other_township, policy, "王五", ends=datetime.date(2026, 12, 31)),
    }


def names(response) -> list[str]:
    return [contract.person.name for contract, _days in response.context["rows"]]


def test_the_township_list_in_pinyin_order_without_other_townships(client, committee, contracts):
    client.force_login(committee)
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 200
    assert names(response) == ["安宁", "李四", "张三"]


def test_the_county_sees_every_township_by_end_date(client, hr, contracts):
    client.force_login(hr)
    response = client.get(reverse("contracts:list"), {"order": "end"})
    assert names(response) == ["李四", "王五", "张三", "安宁"]


def test_ending_within_n_days_lists_contracts_in_force_only(client, hr, contracts):
    """From today (26 November 2026): 90 days reach 23 February 2027. The drafted contract
    ending on 20 December is not in force."""
    client.force_login(hr)
    response = client.get(reverse("contracts:list"), {"within": "90", "order": "end"})
    assert names(response) == ["王五", "张三"]
    days = dict((c.person.name, d) for c, d in response.context["rows"])
    assert days["王五"] == 36  # 26 November to 31 December, both included


def test_filter_by_state(client, hr, contracts):
    client.force_login(hr)
    response = client.get(reverse("contracts:list"), {"state": ContractState.DRAFTED})
    assert names(response) == ["李四"]
    bad = client.get(reverse("contracts:list"), {"state": "nonsense", "within": "x"})
    assert len(names(bad)) == 4


def test_the_list_pages_and_runs_the_same_queries_whatever_the_data(
    client, committee, township, policy
):
    rng = random.Random(7)
    add_contracts(township, policy, 10, rng=rng)
    few = list_queries(client, committee)
    add_contracts(township, policy, 110, rng=rng)
    many = list_queries(client, committee)
    assert few == many
    response = client.get(reverse("contracts:list"), {"page": 3})
    assert len(response.context["rows"]) == 20  # 120 contracts, 50 a page


def test_the_contract_page_says_the_state_and_term_in_words(client, committee, contracts):
    client.force_login(committee)
    response = client.get(reverse("contracts:detail", args=[contracts["zhang"].pk]))
    page = response.content.decode()
    assert "Active" in page and "67 days, the end date included" in page
    assert "Not signed yet" in page


def test_the_contract_page_in_chinese(client, committee, contracts, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(committee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("contracts:detail", args=[contracts["zhang"].pk])).content.decode()
    assert "2027年1月31日" in page
    assert "<strong>有效</strong>" in page


def test_a_foreign_contract_is_not_found(client, committee, contracts):
    client.force_login(committee)
    response = client.get(reverse("contracts:detail", args=[contracts["foreign"].pk]))
    assert response.status_code == 404


@pytest.fixture
def director(county, township, contracts):
    person = contracts["zhang"].person
    return UserFactory(role=Role.DIRECTOR, county=county, township=township, person=person)


def test_the_director_reads_their_own_term(client, director, contracts, township, policy):
    contract = contracts["zhang"]
    village = VillageFactory(township=township, name="新寨村")
    post = PostFactory(village=village)
    vacancy = Vacancy.objects.create(
        post=post,
        township=township,
        policy=policy,
        cause=VacancyCause.NEW_POST,
        opened_on=datetime.date(2026, 11, 1),
        refill_due=datetime.date(2027, 1, 4),
        acting_person=contract.person,
        acting_from=datetime.date(2026, 11, 2),
        state=VacancyState.ACTING,
    )
    DismissalCase.objects.create(
        contract=contract,
        township=township,
        policy=policy,
        state=CaseState.OPENED,
        opened_on=datetime.date(2026, 11, 20),
        statement_due=datetime.date(2026, 11, 30),
    )
    client.force_login(director)
    response = client.get(reverse("my_term:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["dashboard"].contract == contract
    assert "67 days, the end date included" in page
    assert vacancy.post.village.name in page
    assert "your statement is due by" in page
    # The other directors' contracts are not on the page.
    for other in ("安宁", "李四", "王五"):
        assert other not in page


def test_the_director_reads_their_resignation_and_may_request_one(client, director, contracts):
    contract = contracts["zhang"]
    client.force_login(director)
    page = client.get(reverse("my_term:index")).content.decode()
    assert reverse("endings:resign") in page  # in force, nothing asked yet

    resignation = Resignation.objects.create(
        contract=contract,
        requested_on=datetime.date(2026, 11, 20),
        requested_by=director,
        notice_ends_on=datetime.date(2026, 12, 21),
    )
    page = client.get(reverse("my_term:index")).content.decode()
    assert reverse("endings:resignation_detail", args=[resignation.pk]) in page
    assert "the notice period ends on Dec. 21, 2026" in page
    assert reverse("endings:resign") not in page


def test_an_imported_contract_says_it_was_signed_and_filed_on_paper(client, committee, contracts):
    contract = contracts["an"]
    Contract.objects.filter(pk=contract.pk).update(origin=ContractOrigin.IMPORT)
    client.force_login(committee)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Signed on paper before the system was used (imported)" in page
    assert "Filed on paper before the system was used (imported)" in page
    assert "Not signed yet" not in page


def test_the_staff_pages_send_a_director_to_their_record(client, director, contracts):
    client.force_login(director)
    assert client.get(reverse("contracts:list")).url == reverse("my_term:index")
    own = client.get(reverse("contracts:detail", args=[contracts["zhang"].pk]))
    assert own.url == reverse("my_term:index")
    assert client.get(reverse("contracts:detail", args=[contracts["an"].pk])).status_code == 404


def test_staff_have_no_own_record(client, committee):
    client.force_login(committee)
    assert client.get(reverse("my_term:index")).status_code == 403


def test_the_bench_counts_the_list_queries_at_two_sizes(settings):
    from bench import term_lists

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    figures = list(term_lists.run(database=False, counts=(10, 70)))
    assert [name for name, _value, _unit in figures] == [
        "term.contract_list_queries_10",
        "term.contract_list_queries_70",
    ]
    assert figures[0][1] == figures[1][1]
