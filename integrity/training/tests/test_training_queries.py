"""Query counts that stay the same whatever the number of rows: the compliance view (filtered
too), another deputy's transcript and the session pages of JTI staff. Each page is opened at
two sizes and must run exactly as many queries at the larger one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrity.training.models import Attendance
from integrity.training.tests.factories import SessionRegistrationFactory, TrainingSessionFactory, credit_session
from jcr.accounts.tests.factories import StaffFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

BUDGET = 15


def _same_at_two_sizes(client, url, grow, *, small=2, large=15):
    grow(small)
    client.get(url)  # warm caches (sessions, permissions) the same way for both measures
    with assert_max_queries(BUDGET) as few:
        assert client.get(url).status_code == 200
    grow(large)
    with assert_max_queries(BUDGET) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.queries]


@pytest.mark.parametrize("query", ["", "?state=short", "?group=1&state=compliant"])
def test_compliance_view_constant_in_deputies_and_attendances(client_for, jti_chief, query):
    def grow(n):
        for i in range(n):
            deputy = StaffFactory(full_name=f"Ana Deputy{i}")  # group 1 (A-G) ... and N-Z below
            other = StaffFactory(full_name=f"Zed Deputy{i}")
            for person in (deputy, other):
                Attendance.objects.create(session=credit_session(hours={"ethics": "2", "general": "3"}), user=person)
                Attendance.objects.create(session=credit_session(hours={"bias": "1"}, self_study=True), user=person)

    _same_at_two_sizes(client_for(jti_chief), reverse("integrity:training_compliance") + query, grow)


def test_another_deputys_transcript_constant_in_attendances(client_for, jti_staff):
    deputy = StaffFactory(full_name="Dana Ortiz")

    def grow(n):
        for _ in range(n):
            Attendance.objects.create(session=credit_session(hours={"ethics": "1", "implicit_bias": "1"}), user=deputy)

    url = reverse("integrity:training_transcript", kwargs={"public_id": deputy.public_id})
    _same_at_two_sizes(client_for(jti_staff), url, grow)


@pytest.mark.parametrize("name", ["training_session_attendance", "training_session_cancel", "training_session_edit"])
def test_session_pages_constant_in_registrants(client_for, jti_chief, name):
    session = TrainingSessionFactory(capacity=100)

    def grow(n):
        for _ in range(n):
            SessionRegistrationFactory(session=session)

    url = reverse(f"integrity:{name}", kwargs={"public_id": session.public_id})
    _same_at_two_sizes(client_for(jti_chief), url, grow)


def test_session_list_constant_in_sessions_for_jti(client_for, jti_chief):
    def grow(n):
        for _ in range(n):
            session = TrainingSessionFactory()
            SessionRegistrationFactory(session=session)
            past = credit_session(hours={"general": "1"}, days_ago=5)
            Attendance.objects.create(session=past, user=StaffFactory())

    _same_at_two_sizes(client_for(jti_chief), reverse("integrity:training_sessions"), grow)
