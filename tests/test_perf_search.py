"""Searching people and documents by name: by the characters, by pinyin, by ID number; the
search term stays in the page links; a search counts a bounded number of matches; on
PostgreSQL the trigram index answers it."""

import importlib
from typing import cast

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.constants import Role
from paperwork.models import DocumentKind
from people.models import Person
from people.search import name_condition, name_search_key
from tests.factories import PersonFactory
from tests.matrix_support import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def add_people(world, *names: str) -> list[Person]:
    return [
        cast(
            Person, PersonFactory(township=world.own.township, village=world.own.village, name=name)
        )
        for name in names
    ]


def names_found(client, url: str, term: str) -> list[str]:
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return [person.name for person in response.context["page_obj"].object_list]


# The search key ---------------------------------------------------------------------------------


def test_the_key_is_toneless_pinyin_character_by_character_then_in_context():
    assert name_search_key("王晓燕") == "wangxiaoyan"
    assert name_search_key("龙䶮") == "longyan"
    # 重 alone reads zhong; in 重庆 it reads chong: both are kept
    assert name_search_key("重庆") == "zhongqing|chongqing"
    assert name_search_key("阿依古丽·买买提") == "ayigulimaimaiti"


@given(st.text(alphabet="王李张刘晓燕重庆单长乐行䶮昇堃喆·", min_size=1, max_size=6), st.data())
def test_the_key_of_part_of_a_name_is_part_of_the_key_of_the_name(name, data):
    """What makes a search in characters exact when it is answered from the key."""
    start = data.draw(st.integers(0, len(name) - 1))
    end = data.draw(st.integers(start + 1, len(name)))
    part = name[start:end].replace("·", "")
    if part:
        assert name_search_key(part).split("|")[0] in name_search_key(name)


def test_an_empty_or_blank_term_does_not_filter():
    assert name_condition("") is None
    assert name_condition("  ") is None


# People -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("晓燕", {"王晓燕", "李晓燕"}),
        ("王晓燕", {"王晓燕"}),
        ("wang xiao", {"王晓燕", "王晓明"}),
        ("WangXiao", {"王晓燕", "王晓明"}),
        ("wang2 xiao3", {"王晓燕", "王晓明"}),
        ("xiaoyan", {"王晓燕", "李晓燕"}),
        ("chongqing", {"重庆生"}),
        ("庆生", {"重庆生"}),
        ("zhang", {"张伟"}),
        ("周", set()),
    ],
)
def test_people_are_found_by_name_and_by_pinyin(client, world, term, found):
    add_people(world, "李晓燕", "王晓明", "张伟", "重庆生")
    client.force_login(world.users[Role.COUNTY_HR])
    assert set(names_found(client, reverse("people:list"), term)) == found


def test_people_are_found_by_a_whole_id_number(client, world):
    (other,) = add_people(world, "张伟")
    client.force_login(world.users[Role.COUNTY_HR])
    assert names_found(client, reverse("people:list"), other.id_number) == ["张伟"]
    assert names_found(client, reverse("people:list"), other.id_number[:10]) == []


def test_a_search_stays_within_the_users_township(client, world):
    client.force_login(world.users[Role.TOWNSHIP_OFFICE])
    assert names_found(client, reverse("people:list"), world.foreign.person.name) == []
    assert names_found(client, reverse("people:list"), "li ming") == []


def test_the_page_links_keep_the_search_term(client, world, monkeypatch):
    monkeypatch.setattr("core.pagination.PAGE_SIZE", 2)
    add_people(world, "王晓明", "王小二", "王五", "李四")
    client.force_login(world.users[Role.COUNTY_HR])
    first = client.get(reverse("people:list"), {"q": "wang"})
    html = first.content.decode()
    assert first.context["page_obj"].paginator.count == 4
    assert "?q=wang&amp;page=2" in html
    second = client.get(reverse("people:list"), {"q": "wang", "page": 2})
    shown = names_found(client, reverse("people:list"), "wang")
    rest = [p.name for p in second.context["page_obj"].object_list]
    assert sorted(shown + rest) == sorted(["王晓燕", "王晓明", "王小二", "王五"])
    assert "?q=wang&amp;page=1" in second.content.decode()


def test_a_search_counts_a_bounded_number_of_matches_and_says_so(client, world, monkeypatch):
    monkeypatch.setattr("core.pagination.SEARCH_COUNT_LIMIT", 3)
    monkeypatch.setattr("core.pagination.PAGE_SIZE", 2)
    add_people(world, "王晓明", "王小二", "王五")
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("people:list"), {"q": "王"})
    paginator = response.context["page_obj"].paginator
    assert paginator.capped and paginator.count == 3 and paginator.num_pages == 2
    assert "More than 3 records match" in response.content.decode()
    # Without a search the list counts everything and says nothing of the sort.
    response = client.get(reverse("people:list"))
    assert not response.context["page_obj"].paginator.capped
    assert response.context["page_obj"].paginator.count == 5  # with 王晓燕 and 李明


def test_the_shared_pagination_reads_in_chinese(client, world, monkeypatch):
    monkeypatch.setattr("core.pagination.PAGE_SIZE", 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(world.users[Role.COUNTY_HR])
    html = client.get(reverse("people:list")).content.decode()
    assert "第 1 页，共 2 页" in html and "下一页" in html
    html = client.get(reverse("people:list"), {"page": 2}).content.decode()
    assert "第 2 页，共 2 页" in html and "上一页" in html


# Documents --------------------------------------------------------------------------------------


def test_the_document_list_names_the_person_and_the_applicant(client, world):
    recruitment = world.recruitment("own")
    application = recruitment.application
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get(reverse("paperwork:list"))
    rows = {(d.kind, d.object_id): d for d in response.context["page_obj"].object_list}
    register = world.own.document
    assert rows[register.kind, register.object_id].person == world.own.person
    result = rows[DocumentKind.ELIGIBILITY_RESULT, application.pk]
    assert result.applicant_name == application.name == "罗昇"
    announcement = recruitment.announcement
    assert rows[announcement.kind, announcement.object_id].applicant_name is None
    html = response.content.decode()
    assert reverse("people:detail", args=[world.own.person.pk]) in html
    assert "罗昇" in html


@pytest.mark.parametrize(
    ("term", "titles"),
    [
        ("王晓燕", {"村级人口主任岗位登记表"}),
        ("wang xiao yan", {"村级人口主任岗位登记表"}),
        # 罗昇's application: the registration form, eligibility result and admission ticket
        ("罗昇", {"村级人口主任选聘报名表", "资格审查结果通知书", "准考证"}),
        ("赵", set()),
    ],
)
def test_documents_are_found_by_the_name_of_their_person(client, world, term, titles):
    world.recruitment("own")
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get(reverse("paperwork:list"), {"q": term})
    assert {d.title for d in response.context["page_obj"].object_list} == titles


def test_documents_are_found_by_a_whole_id_number(client, world):
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("paperwork:list"), {"q": world.foreign.person.id_number})
    assert [d.person for d in response.context["page_obj"].object_list] == [world.foreign.person]


def test_a_document_search_with_many_matches_reads_the_same(client, world, monkeypatch):
    """Past MATCHES_LOOKED_UP people the search runs as subqueries: the same documents."""
    client.force_login(world.users[Role.COUNTY_HR])
    by_keys = client.get(reverse("paperwork:list"), {"q": "王"}).context["page_obj"]
    monkeypatch.setattr("paperwork.views.MATCHES_LOOKED_UP", 0)
    by_subqueries = client.get(reverse("paperwork:list"), {"q": "王"}).context["page_obj"]
    assert list(by_keys.object_list) == list(by_subqueries.object_list)
    assert [d.person for d in by_keys.object_list] == [world.own.person]


def test_the_document_search_keeps_the_kind_and_the_kind_keeps_the_search(
    client, world, monkeypatch
):
    monkeypatch.setattr("core.pagination.PAGE_SIZE", 1)
    for title in ("登记表二", "登记表三"):
        make_document(world.own.person, title=title)
    client.force_login(world.users[Role.COUNTY_HR])
    params = {"kind": DocumentKind.VILLAGE_POST_REGISTER, "q": "王晓燕"}
    response = client.get(reverse("paperwork:list"), params)
    assert response.context["page_obj"].paginator.count == 3
    html = response.content.decode()
    assert "?kind=village_post_register&amp;q=%E7%8E%8B%E6%99%93%E7%87%95&amp;page=2" in html
    assert 'value="王晓燕"' in html


# PostgreSQL: the trigram index -----------------------------------------------------------------


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only"
)


@needs_postgresql
@pytest.mark.parametrize("term", ["wang xiao", "晓燕"])
def test_postgresql_answers_a_name_search_from_the_trigram_index(world, term):
    """The index matches the SQL Django writes for the search (``name_search::text LIKE``);
    with sequential scans ruled out the plan must name it."""
    people = Person.objects.filter(name_condition(term)).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = people.explain()
    assert "person_name_search_trgm" in plan


# The migrations fill the keys of records that exist --------------------------------------------


def test_the_migrations_fill_the_keys_of_existing_records(world):
    from django.apps import apps

    Person.objects.update(name_pinyin="", name_search="")
    type(world.own.village).objects.update(name_pinyin="")
    type(world.own.township).objects.update(name_pinyin="")
    importlib.import_module("people.migrations.0002_name_search").fill_name_search(apps, None)
    importlib.import_module("organisation.migrations.0005_place_name_pinyin").fill_name_pinyin(
        apps, None
    )
    world.own.person.refresh_from_db()
    world.own.village.refresh_from_db()
    world.own.township.refresh_from_db()
    assert world.own.person.name_search == "wangxiaoyan"
    assert world.own.person.name_pinyin == "wang2 xiao3 yan4"
    assert world.own.township.name_pinyin == "guan1 suo3 jie1 dao4"
    assert world.own.village.name_pinyin.startswith("guan1 suo3 jie1 dao4 xin1 zhai4")
