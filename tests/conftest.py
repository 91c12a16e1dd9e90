import pytest

from tests.factories import CountyFactory, PolicyFactory


@pytest.fixture
def county(db):
    return CountyFactory()


@pytest.fixture
def policy(county):
    return PolicyFactory(county=county)
