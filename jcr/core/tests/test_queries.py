import pytest
from django.core.cache import caches

from jcr.core.tests.factories import AreaAssignmentFactory, AreaFactory
from tests.support import TooManyQueries, assert_max_queries

pytestmark = pytest.mark.django_db


def test_assert_max_queries_fails_listing_the_queries(resident_user):
    from jcr.accounts.models import User

    def two_queries():
        with assert_max_queries(1):
            list(User.objects.all())
            list(User.objects.filter(is_staff=True))

    with pytest.raises(TooManyQueries) as excinfo:
        two_queries()
    message = str(excinfo.value)
    assert "2 queries ran, at most 1 expected" in message
    assert message.count('FROM "accounts_user"') == 2


def test_home_page_queries_do_not_grow_with_districts(resident):
    """The district list is one query plus one prefetch, however many districts and prosecutors."""
    for _ in range(3):
        AreaAssignmentFactory()
    caches["pages"].clear()  # anonymous visitors get the page from the cache; measure the page itself
    with assert_max_queries(2) as few:
        response = resident.get("/")
    assert response.status_code == 200
    assert len(response.context["districts"]) == 3
    for _ in range(5):
        AreaAssignmentFactory(area=AreaFactory())
    caches["pages"].clear()
    with assert_max_queries(len(few)):
        response = resident.get("/")
    assert len(response.context["districts"]) == 8


def test_staff_dashboard_query_budget(client_for, administrator):
    client = client_for(administrator)
    client.get("/staff/")  # first request sets session values: not what we measure
    with assert_max_queries(12):
        response = client.get("/staff/")
    assert response.status_code == 200
    assert "platform" in response.context
