"""Triage actions on a concern: response templates, the status lifecycle with close reasons,
merging duplicates, service levels in business days (due dates, overdue) and the daily
overdue digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_celery_beat.models import PeriodicTask

from jcr.accounts import roles
from jcr.core.models import AuditEntry, OutboundEmail
from prosecution.concerns import service_levels, services, services_desk, tasks, triage
from prosecution.concerns.models import Concern, ConcernUpdate, OverdueDigest, ResponseTemplate, ServiceLevel
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory, QuestionFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
QUEUE = "prosecution:staff_concern_list"


def _url(concern: Concern, name: str = "staff_concern_detail") -> str:
    return reverse(f"prosecution:{name}", kwargs={"public_id": concern.public_id})


def _in_area(area, **fields) -> Concern:
    concern = ConcernFactory(**fields)
    concern.areas.add(area)
    return concern


def _overdue(concern: Concern, *, days: int = 3) -> Concern:
    """Received `days` + 2 days ago, so its acknowledge deadline passed `days` days ago."""
    now = timezone.now()
    Concern.objects.filter(pk=concern.pk).update(
        created_at=now - timedelta(days=days + 2),
        acknowledge_by=now - timedelta(days=days, minutes=5),
        resolve_by=now + timedelta(days=20),
    )
    concern.refresh_from_db()
    return concern


# --- Business days and service levels ----------------------------------------------------------
def test_business_days_skip_weekends_and_holidays(settings):
    settings.JCR_HOLIDAYS = frozenset({date(2026, 11, 26), date(2026, 11, 27)})  # Thanksgiving
    friday = date(2026, 11, 20)
    assert service_levels.business_day_add(friday, 1) == date(2026, 11, 23)  # Monday
    assert service_levels.business_day_add(friday, 2) == date(2026, 11, 24)
    # Wednesday + 2 skips Thursday and Friday (holidays) and the weekend.
    assert service_levels.business_day_add(date(2026, 11, 25), 2) == date(2026, 12, 1)
    saturday = date(2026, 11, 21)
    assert service_levels.business_day_add(saturday, 1) == date(2026, 11, 23)


def test_due_moment_keeps_the_local_time_across_daylight_saving():
    received = datetime(2026, 10, 30, 10, 15, tzinfo=LA)  # Friday; clocks go back on Sunday
    due = service_levels.business_moment_add(received, 2)
    assert due == datetime(2026, 11, 3, 10, 15, tzinfo=LA)
    # One hour longer than four days: the clocks went back.
    assert due.astimezone(UTC) - received.astimezone(UTC) == timedelta(days=4, hours=1)


def test_holidays_setting_is_parsed_strictly():
    from jcr.envparse import parse_holidays as _parse_holidays

    assert _parse_holidays(" 2026-12-25, 2027-01-01 ,") == frozenset({date(2026, 12, 25), date(2027, 1, 1)})
    with pytest.raises(ImproperlyConfigured, match="JCR_HOLIDAYS"):
        _parse_holidays("2026-12-25,Christmas")


def test_service_level_most_specific_row_wins(settings):
    settings.JCR_CONCERN_ACK_DAYS, settings.JCR_CONCERN_RESOLVE_DAYS = 2, 30
    graffiti, other = CategoryFactory(), CategoryFactory()

    def days(category, priority):
        return service_levels.service_level_days(category_id=category.pk, priority=priority)

    assert days(graffiti, "high") == (2, 30)  # no rows: the settings
    ServiceLevel.objects.create(acknowledge_days=3, resolve_days=40)
    assert days(graffiti, "high") == (3, 40)
    ServiceLevel.objects.create(priority="high", acknowledge_days=1, resolve_days=10)
    assert days(graffiti, "high") == (1, 10)
    ServiceLevel.objects.create(category=graffiti, acknowledge_days=2, resolve_days=15)
    assert days(graffiti, "high") == (2, 15)  # the category beats the priority
    assert days(graffiti, "normal") == (2, 15)
    ServiceLevel.objects.create(category=graffiti, priority="high", acknowledge_days=1, resolve_days=5)
    assert days(graffiti, "high") == (1, 5)
    assert days(other, "high") == (1, 10)
    assert days(other, "low") == (3, 40)


def test_submit_stores_due_dates_and_priority_change_recomputes_them(cpu_supervisor, settings):
    settings.JCR_HOLIDAYS = frozenset()
    category = CategoryFactory()
    ServiceLevel.objects.create(category=category, priority="high", acknowledge_days=1, resolve_days=3)
    concern, _ = services.concern_submit(category=category, description="Tags", address="1 J St", notify=False)
    local = timezone.localtime(concern.created_at)
    expected_ack = service_levels.business_day_add(local.date(), 2)
    assert timezone.localtime(concern.acknowledge_by).date() == expected_ack
    assert timezone.localtime(concern.acknowledge_by).time() == local.time().replace(microsecond=0)
    assert timezone.localtime(concern.resolve_by).date() == service_levels.business_day_add(local.date(), 30)
    services_desk.concern_set_priority(concern=concern, priority="high", actor=cpu_supervisor)
    concern.refresh_from_db()
    assert timezone.localtime(concern.acknowledge_by).date() == service_levels.business_day_add(local.date(), 1)
    assert timezone.localtime(concern.resolve_by).date() == service_levels.business_day_add(local.date(), 3)
    entry = AuditEntry.objects.get(action="prosecution.concern.priority")
    assert entry.before["resolve_by"] != entry.after["resolve_by"]


def test_overdue_means_unacknowledged_past_acknowledge_by_or_open_past_resolve_by():
    now = timezone.now()
    past, future = now - timedelta(hours=1), now + timedelta(hours=1)
    late_ack = ConcernFactory(acknowledge_by=past, resolve_by=future)
    acknowledged = ConcernFactory(
        status=Concern.Status.UNDER_REVIEW, acknowledged_at=now, acknowledge_by=past, resolve_by=future
    )
    late_resolve = ConcernFactory(
        status=Concern.Status.IN_PROGRESS, acknowledged_at=now, acknowledge_by=past, resolve_by=past
    )
    closed = ConcernFactory(status=Concern.Status.CLOSED, acknowledge_by=past, resolve_by=past)
    on_time = ConcernFactory(acknowledge_by=future, resolve_by=future)
    overdue = set(Concern.objects.filter(triage.overdue_q(now)).values_list("pk", flat=True))
    assert overdue == {late_ack.pk, late_resolve.pk}
    for concern in (late_ack, acknowledged, late_resolve, closed, on_time):
        assert service_levels.is_overdue(concern, now) == (concern.pk in overdue)


def test_overdue_query_uses_the_partial_indexes():
    from django.db import connection

    sql, params = Concern.objects.filter(triage.overdue_q()).only("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "prosecution_concern_ackdue_idx" in plan
    assert "prosecution_concern_resdue_idx" in plan


def test_queue_overdue_filter_and_badge_follow_the_service_level(client_for, prosecutor_in_area, area_in):
    late = _overdue(_in_area(area_in))
    in_time = _in_area(area_in, acknowledge_by=timezone.now() + timedelta(days=1))
    old_but_acknowledged = _overdue(_in_area(area_in, status=Concern.Status.UNDER_REVIEW))
    Concern.objects.filter(pk=old_but_acknowledged.pk).update(acknowledged_at=timezone.now())
    client = client_for(prosecutor_in_area)
    body = client.get(reverse(QUEUE), {"overdue": "on"}).content.decode()
    assert late.tracking_code in body
    assert in_time.tracking_code not in body
    assert old_but_acknowledged.tracking_code not in body
    assert 'badge text-bg-danger">Overdue<' in body
    assert triage.staff_counts(user=prosecutor_in_area)["overdue"] == 1
    page = client.get(_url(late)).content.decode()
    assert "Overdue since" in page


# --- Response templates ------------------------------------------------------------------------
def test_templates_offered_fit_the_category_and_the_statuses_it_can_take():
    category, other = CategoryFactory(), CategoryFactory()
    anything = ResponseTemplate.objects.create(title="Any", text="t")
    mine = ResponseTemplate.objects.create(title="Mine", category=category, status="in_progress", text="t")
    ResponseTemplate.objects.create(title="Other category", category=other, text="t")
    ResponseTemplate.objects.create(title="Inactive", is_active=False, text="t")
    ResponseTemplate.objects.create(title="Back to received", status="received", text="t")
    concern = ConcernFactory(category=category, status=Concern.Status.UNDER_REVIEW)
    assert services_desk.response_templates_for(concern=concern) == [anything, mine]
    closed = ConcernFactory(category=category, status=Concern.Status.CLOSED)
    assert services_desk.response_templates_for(concern=closed) == [anything, mine]  # reopen to in progress


def test_status_change_with_a_template_and_no_text_sends_it_in_the_residents_language(
    client_for, prosecutor_in_area, area_in
):
    concern = _in_area(area_in, contact_email="ana@example.org", language="es")
    template = ResponseTemplate.objects.create(
        title="Referred", status="referred", text="We referred it.", text_es="Lo enviamos a otra agencia."
    )
    client = client_for(prosecutor_in_area)
    page = client.get(_url(concern)).content.decode()
    assert f'<option value="{template.pk}">Referred (Referred to a partner)</option>' in page
    assert f'data-template="{template.pk}" data-status="referred">Lo enviamos a otra agencia.</li>' in page
    assert "js/concern-status-form.js" in page
    assert "<script>" not in page
    response = client.post(
        _url(concern, "staff_concern_status"), {"template": template.pk, "status": "referred", "public_text": ""}
    )
    assert response.status_code == 302
    update = concern.updates.get(kind=ConcernUpdate.Kind.STATUS)
    assert update.text == "Lo enviamos a otra agencia."
    email = OutboundEmail.objects.get(to="ana@example.org", template="prosecution/concern_updated")
    assert "Lo enviamos a otra agencia." in email.body_text
    assert AuditEntry.objects.get(action="prosecution.concern.status").after["response_template"] == template.pk


def test_text_typed_over_a_template_is_what_is_sent(client_for, cpu_supervisor):
    concern = ConcernFactory(language="en")
    template = ResponseTemplate.objects.create(title="Review", text="We are looking into it.")
    client_for(cpu_supervisor).post(
        _url(concern, "staff_concern_status"),
        {"template": template.pk, "status": "under_review", "public_text": "We are looking into it; edited."},
    )
    assert concern.updates.get().text == "We are looking into it; edited."


def test_template_for_another_status_or_category_is_refused(client_for, cpu_supervisor):
    concern = ConcernFactory()
    client = client_for(cpu_supervisor)
    referred = ResponseTemplate.objects.create(title="Referred", status="referred", text="t")
    response = client.post(_url(concern, "staff_concern_status"), {"template": referred.pk, "status": "in_progress"})
    assert response.status_code == 400
    assert "goes with the status Referred to a partner" in response.content.decode()
    elsewhere = ResponseTemplate.objects.create(title="Elsewhere", category=CategoryFactory(), text="t")
    response = client.post(_url(concern, "staff_concern_status"), {"template": elsewhere.pk, "status": "in_progress"})
    assert response.status_code == 400
    assert not concern.updates.exists()
    with pytest.raises(ValidationError):
        services_desk.concern_set_status(
            concern=concern, status="in_progress", actor=cpu_supervisor, template=elsewhere
        )


# --- Lifecycle and close reasons ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "status", "reason", "text", "message"),
    [
        ("received", "received", "", "", "already Received"),
        ("under_review", "received", "", "", "cannot become Received"),
        ("closed", "resolved", "fixed", "", "cannot become Resolved"),
        ("resolved", "resolved", "fixed", "", "already Resolved"),
        ("in_progress", "resolved", "", "", "Give a reason for closing."),
        ("in_progress", "resolved", "not_ours", "", "is not a reason for Resolved"),
        ("in_progress", "closed", "fixed", "", "is not a reason for Closed"),
        ("in_progress", "closed", "duplicate", "", "merge it into the other concern"),
        ("in_progress", "closed", "whatever", "", "Unknown reason"),
    ],
)
def test_nonsense_transitions_are_refused(cpu_supervisor, start, status, reason, text, message):
    concern = ConcernFactory(status=start)
    with pytest.raises(ValidationError, match=message):
        services_desk.concern_set_status(
            concern=concern, status=status, actor=cpu_supervisor, close_reason=reason, public_text=text
        )
    assert not AuditEntry.objects.filter(action="prosecution.concern.status").exists()


def test_same_status_with_a_public_update_is_allowed_and_acknowledges(cpu_supervisor):
    concern = ConcernFactory(status=Concern.Status.RECEIVED, acknowledge_by=timezone.now() - timedelta(hours=1))
    assert service_levels.is_overdue(concern)
    services_desk.concern_set_status(concern=concern, status="received", actor=cpu_supervisor, public_text="Seen.")
    concern.refresh_from_db()
    assert concern.updates.get().text == "Seen."
    assert concern.acknowledged_at is not None
    assert not service_levels.is_overdue(concern)


def test_transition_error_is_shown_on_the_form(client_for, cpu_supervisor):
    concern = ConcernFactory(status=Concern.Status.UNDER_REVIEW)
    response = client_for(cpu_supervisor).post(_url(concern, "staff_concern_status"), {"status": "received"})
    assert response.status_code == 400
    assert "A concern that is Under review cannot become Received." in response.content.decode()


def test_closing_with_a_reason_shows_the_label_to_the_resident_and_the_detail_to_staff(client_for, cpu_supervisor):
    concern = ConcernFactory(status=Concern.Status.IN_PROGRESS, contact_email="pat@example.org")
    response = client_for(cpu_supervisor).post(
        _url(concern, "staff_concern_status"),
        {"status": "closed", "close_reason": "not_ours", "close_detail": "Caltrans land, marker-detail-7"},
    )
    email = OutboundEmail.objects.get(to="pat@example.org")
    assert "Reason: Not our responsibility" in email.body_text
    assert "marker-detail-7" not in email.body_text + email.body_html
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.close_reason, concern.close_detail) == (
        "closed",
        "not_ours",
        "Caltrans land, marker-detail-7",
    )
    staff_page = client_for(cpu_supervisor).get(_url(concern)).content.decode()
    assert "(Not our responsibility)" in staff_page
    assert "marker-detail-7" in staff_page
    public = client_for(None).get(reverse("prosecution:concern_track", args=[concern.tracking_code]))
    body = public.content.decode()
    assert "Reason: Not our responsibility" in body
    assert "marker-detail-7" not in body


def test_reopening_clears_the_reason_and_gives_a_fresh_time_to_resolve(cpu_supervisor):
    concern = ConcernFactory(status=Concern.Status.IN_PROGRESS, resolve_by=timezone.now() - timedelta(days=9))
    services_desk.concern_set_status(concern=concern, status="resolved", actor=cpu_supervisor, close_reason="partner")
    concern.refresh_from_db()
    assert concern.close_reason == "partner"
    services_desk.concern_set_status(concern=concern, status="in_progress", actor=cpu_supervisor)
    concern.refresh_from_db()
    assert (concern.close_reason, concern.resolved_at, concern.reopened_count) == ("", None, 1)
    assert concern.resolve_by > timezone.now()


# --- Merging duplicates ------------------------------------------------------------------------
def test_merge_closes_the_duplicate_and_points_the_resident_to_the_original(
    client_for, prosecutor_in_area, area_in, settings
):
    original = _in_area(area_in, status=Concern.Status.IN_PROGRESS)
    duplicate = _in_area(
        area_in, category=CategoryFactory(), contact_email="luz@example.org", language="es", description="Otra vez"
    )
    client = client_for(prosecutor_in_area)
    response = client.post(
        _url(duplicate, "staff_concern_merge"), {"original_code": original.tracking_code.lower(), "detail": "Same lot"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(original)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.close_reason, duplicate.duplicate_of) == ("closed", "duplicate", original)
    assert duplicate.resolved_at is not None
    update = duplicate.updates.get(kind=ConcernUpdate.Kind.STATUS)
    # The original's public reference and page: its tracking code is its own reporter's.
    assert original.public_ref in update.text
    assert original.tracking_code not in update.text
    with translation.override("es"):  # in the resident's language
        track = reverse("prosecution:concern_public", kwargs={"public_ref": original.public_ref})
        expected = gettext(
            "This report is about the same problem as report %(code)s, which we are working on. "
            "We close this one so that the work is in one place; follow report %(code)s at %(url)s"
        ) % {"code": original.public_ref, "url": settings.SITE_URL + track}
    assert update.text == expected
    note = original.updates.get(kind=ConcernUpdate.Kind.INTERNAL_NOTE)
    assert duplicate.tracking_code in note.text
    assert "Same lot" in note.text
    email = OutboundEmail.objects.get(to="luz@example.org", template="prosecution/concern_merged")
    assert email.language == "es"
    assert settings.SITE_URL + track in email.body_text
    assert original.tracking_code not in email.body_text
    assert {e.action for e in AuditEntry.objects.filter(actor=prosecutor_in_area)} >= {
        "prosecution.concern.merge",
        "prosecution.concern.merged_into",
    }
    page = client.get(_url(original)).content.decode()
    assert "Merged duplicates" in page
    assert _url(duplicate) in page
    dup_page = client.get(_url(duplicate)).content.decode()
    assert f'Duplicate of <a href="{_url(original)}">{original.tracking_code}</a>' in dup_page
    public = client_for(None).get(reverse("prosecution:concern_track", args=[duplicate.tracking_code]))
    assert original.public_ref in public.content.decode()
    assert original.tracking_code not in public.content.decode()


def test_merge_refusals(cpu_supervisor):
    concern = ConcernFactory()
    closed = ConcernFactory(status=Concern.Status.CLOSED, close_reason="not_ours")

    def merge(duplicate, code):
        return services_desk.concern_merge(duplicate=duplicate, original_code=code, actor=cpu_supervisor)

    with pytest.raises(ValidationError, match="into itself"):
        merge(concern, concern.tracking_code)
    with pytest.raises(ValidationError, match="is closed"):
        merge(concern, closed.tracking_code)
    with pytest.raises(ValidationError, match="No concern you can see"):
        merge(concern, "NOSUCH99")
    with pytest.raises(ValidationError, match="No concern you can see"):
        merge(concern, "")
    with pytest.raises(ValidationError, match="already closed"):
        merge(closed, concern.tracking_code)
    assert not AuditEntry.objects.filter(action="prosecution.concern.merge").exists()


def test_merge_follows_the_chain_and_refuses_cycles(cpu_supervisor):
    root, middle, newest = ConcernFactory(), ConcernFactory(), ConcernFactory()
    services_desk.concern_merge(duplicate=middle, original_code=root.tracking_code, actor=cpu_supervisor)
    # Naming the merged concern leads to the one it was merged into.
    original = services_desk.concern_merge(duplicate=newest, original_code=middle.tracking_code, actor=cpu_supervisor)
    assert original == root
    newest.refresh_from_db()
    assert newest.duplicate_of == root
    # Merging the root into one of its own duplicates would be a cycle.
    with pytest.raises(ValidationError, match="into itself"):
        services_desk.concern_merge(duplicate=root, original_code=newest.tracking_code, actor=cpu_supervisor)


def test_merging_an_original_moves_its_duplicates_along(cpu_supervisor):
    first, dup, target = ConcernFactory(), ConcernFactory(), ConcernFactory()
    services_desk.concern_merge(duplicate=dup, original_code=first.tracking_code, actor=cpu_supervisor)
    services_desk.concern_merge(duplicate=first, original_code=target.tracking_code, actor=cpu_supervisor)
    assert set(target.duplicates.values_list("pk", flat=True)) == {first.pk, dup.pk}
    assert dup.tracking_code in target.updates.get(kind=ConcernUpdate.Kind.INTERNAL_NOTE).text


def test_merge_into_a_concern_outside_the_prosecutors_scope_is_refused(
    client_for, prosecutor_in_area, area_in, area_other
):
    duplicate = _in_area(area_in)
    elsewhere = _in_area(area_other)
    response = client_for(prosecutor_in_area).post(
        _url(duplicate, "staff_concern_merge"), {"original_code": elsewhere.tracking_code}
    )
    assert response.status_code == 400
    assert "No concern you can see has the tracking code" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.is_open


def test_merge_into_a_sensitive_concern_does_not_name_it(cpu_supervisor):
    sensitive = ConcernFactory(category=CategoryFactory(is_sensitive=True), is_sensitive=True)
    duplicate = ConcernFactory(contact_email="kim@example.org")
    services_desk.concern_merge(duplicate=duplicate, original_code=sensitive.tracking_code, actor=cpu_supervisor)
    update = duplicate.updates.get(kind=ConcernUpdate.Kind.STATUS)
    assert sensitive.tracking_code not in update.text
    email = OutboundEmail.objects.get(to="kim@example.org")
    assert sensitive.tracking_code not in email.body_text + email.body_html + email.subject


MERGE_BY_PERSONA = {
    "resident": 302,
    "resident_user": 403,
    "outreach_staff": 403,
    "administrator": 403,
    "bureau_chief": 403,
    "prosecutor_other_area": 404,
    "community_prosecutor": 302,
    "cpu_supervisor": 302,
}


@pytest.mark.parametrize(("persona", "expected"), MERGE_BY_PERSONA.items())
def test_merge_by_persona(persona, expected, personas, client_for, area_in):
    original, duplicate = _in_area(area_in), _in_area(area_in)
    response = client_for(personas[persona]).post(
        _url(duplicate, "staff_concern_merge"), {"original_code": original.tracking_code}
    )
    assert response.status_code == expected
    duplicate.refresh_from_db()
    assert (duplicate.duplicate_of_id == original.pk) == (expected == 302 and persona != "resident")


def test_merge_get_is_405_inside_scope_and_404_outside(client_for, prosecutor_in_area, prosecutor_other_area, area_in):
    url = _url(_in_area(area_in), "staff_concern_merge")
    assert client_for(prosecutor_in_area).get(url).status_code == 405
    assert client_for(prosecutor_other_area).get(url).status_code == 404


# --- Daily overdue digest ----------------------------------------------------------------------
def _person(role, email, language="en", **fields):
    from jcr.accounts.tests.factories import StaffFactory

    return StaffFactory(email=email, roles=[role], preferred_language=language, **fields)


def test_digest_goes_to_each_owner_and_unowned_to_supervisors_once_a_day(settings):
    settings.SITE_URL = "https://jcr.example"
    owner = _person(roles.COMMUNITY_PROSECUTOR, "owner@da.example.gov", language="es")
    _person(roles.CPU_SUPERVISOR, "sup@da.example.gov")
    _person(roles.CPU_SUPERVISOR, "gone@da.example.gov", is_active=False)
    _person(roles.BUREAU_CHIEF, "chief@da.example.gov")  # sees every concern but only reads them
    category = CategoryFactory(name="Graffiti", name_es="Grafiti")
    mine = _overdue(ConcernFactory(assignee=owner, category=category), days=4)
    _overdue(ConcernFactory(assignee=owner, status=Concern.Status.CLOSED, close_reason="not_ours"))
    ConcernFactory(assignee=owner)  # not overdue
    nobody = _overdue(ConcernFactory(), days=1)
    left = _overdue(ConcernFactory(assignee=_person(roles.COMMUNITY_PROSECUTOR, "left@x.gov", is_active=False)))

    sent = services_desk.concern_overdue_digests_send()

    emails = {e.to: e for e in OutboundEmail.objects.filter(template="prosecution/concerns_overdue_digest")}
    assert sent == len(emails)
    assert "owner@da.example.gov" in emails
    assert "sup@da.example.gov" in emails
    assert "gone@da.example.gov" not in emails
    assert "left@x.gov" not in emails
    assert "chief@da.example.gov" not in emails
    to_owner = emails["owner@da.example.gov"]
    assert to_owner.language == "es"
    assert mine.tracking_code in to_owner.body_text
    assert "Grafiti" in to_owner.body_text
    with translation.override("es"):
        days = ngettext("not acknowledged, %(days)s day overdue", "not acknowledged, %(days)s days overdue", 4) % {
            "days": 4
        }
        link = f"https://jcr.example{_url(mine)}"
    assert days in to_owner.body_text
    assert link in to_owner.body_text
    assert nobody.tracking_code not in to_owner.body_text
    to_supervisor = emails["sup@da.example.gov"]
    assert nobody.tracking_code in to_supervisor.body_text
    assert left.tracking_code in to_supervisor.body_text  # its owner left
    assert mine.tracking_code not in to_supervisor.body_text
    digest = OverdueDigest.objects.get(recipient=owner)
    assert (digest.concern_count, digest.email) == (1, to_owner)
    assert AuditEntry.objects.filter(action="prosecution.concern.overdue_digest").count() == sent

    # A second run the same day (beat catching up, a retried task) sends nothing more.
    assert services_desk.concern_overdue_digests_send() == 0
    assert tasks.concern_overdue_digests_send() == 0
    assert OutboundEmail.objects.filter(template="prosecution/concerns_overdue_digest").count() == sent
    # The next day it does.
    tomorrow = timezone.now() + timedelta(days=1)
    assert services_desk.concern_overdue_digests_send(now=tomorrow) == sent


def test_digest_is_not_sent_when_nothing_is_overdue():
    _person(roles.CPU_SUPERVISOR, "sup@da.example.gov")
    ConcernFactory(acknowledge_by=timezone.now() + timedelta(days=1))
    assert services_desk.concern_overdue_digests_send() == 0
    assert not OutboundEmail.objects.exists()
    assert not OverdueDigest.objects.exists()


def test_digest_row_race_is_a_no_op(settings):
    owner = _person(roles.COMMUNITY_PROSECUTOR, "owner@da.example.gov")
    _overdue(ConcernFactory(assignee=owner))
    OverdueDigest.objects.create(recipient=owner, day=timezone.localdate(), concern_count=1)
    concern = Concern.objects.get()
    assert (
        services_desk._digest_send(
            person=owner, day=timezone.localdate(), own=[concern], unowned=[], now=timezone.now()
        )
        is False
    )
    assert not OutboundEmail.objects.exists()


def test_digest_schedule_is_weekdays_at_seven():
    task = PeriodicTask.objects.get(task="prosecution.concerns.concern_overdue_digests_send")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("7", "0", "1-5")
    assert str(task.crontab.timezone) == "America/Los_Angeles"


# --- Query budgets -----------------------------------------------------------------------------
def test_concern_page_queries_do_not_grow_with_templates_and_duplicates(client_for, cpu_supervisor):
    category = CategoryFactory()
    question = QuestionFactory(category=category)
    original = ConcernFactory(category=category, answers={question.code: "3"})
    client = client_for(cpu_supervisor)
    client.get(_url(original))
    ResponseTemplate.objects.create(title="One", text="t")
    services_desk.concern_merge(duplicate=ConcernFactory(), original_code=original.tracking_code, actor=cpu_supervisor)
    with assert_max_queries(12) as few:
        assert client.get(_url(original)).status_code == 200
    for i in range(6):
        ResponseTemplate.objects.create(title=f"T{i}", category=category, text="t")
        services_desk.concern_merge(
            duplicate=ConcernFactory(), original_code=original.tracking_code, actor=cpu_supervisor
        )
    with assert_max_queries(12) as many:
        body = client.get(_url(original)).content.decode()
    assert body.count('data-template="') == 7
    assert len(many) == len(few)


def test_queue_overdue_filter_query_count_is_constant(client_for, cpu_supervisor):
    client = client_for(cpu_supervisor)
    client.get(reverse(QUEUE), {"overdue": "on"})
    for _ in range(3):
        _overdue(ConcernFactory())
    with assert_max_queries(12) as few:
        client.get(reverse(QUEUE), {"overdue": "on"})
    for _ in range(30):
        _overdue(ConcernFactory())
    with assert_max_queries(12) as many:
        client.get(reverse(QUEUE), {"overdue": "on"})
    assert len(many) == len(few)


def test_migration_fills_due_dates_of_existing_rows(settings):
    """The data step of 0004 (PostgreSQL path) on rows without due dates."""
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("prosecution.migrations.0004_triage_actions")
    settings.JCR_HOLIDAYS = frozenset()
    friday = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)  # 10:30 in Los Angeles
    concern = ConcernFactory()
    Concern.objects.filter(pk=concern.pk).update(created_at=friday, acknowledge_by=None, resolve_by=None)
    with connection.schema_editor() as editor:
        migration.due_dates_forward(apps, editor)
    concern.refresh_from_db()
    assert concern.acknowledge_by == datetime(2026, 11, 24, 10, 30, tzinfo=LA)
    assert concern.resolve_by.astimezone(LA).date() == service_levels.business_day_add(date(2026, 11, 20), 30)


def test_one_service_level_row_per_category_and_priority():
    from django.db import IntegrityError, transaction

    category = CategoryFactory()
    ServiceLevel.objects.create(priority="high", acknowledge_days=1, resolve_days=5)
    ServiceLevel.objects.create(category=category, priority="high", acknowledge_days=1, resolve_days=5)
    for fields in ({"priority": "high"}, {"category": category, "priority": "high"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceLevel.objects.create(acknowledge_days=2, resolve_days=6, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(acknowledge_days=5, resolve_days=2)  # resolving faster than acknowledging


def test_due_dates_refresh_after_a_category_change_is_audited(cpu_supervisor):
    slow, fast = CategoryFactory(), CategoryFactory()
    ServiceLevel.objects.create(category=fast, acknowledge_days=1, resolve_days=2)
    concern, _ = services.concern_submit(category=slow, description="x", address="1 K St", notify=False)
    before = concern.resolve_by
    Concern.objects.filter(pk=concern.pk).update(category=fast)  # as a recategorising service would
    concern = services_desk.concern_due_dates_refresh(concern=concern, actor=cpu_supervisor)
    assert concern.resolve_by < before
    entry = AuditEntry.objects.get(action="prosecution.concern.due_dates")
    assert entry.actor == cpu_supervisor


def test_resident_reopening_gives_a_fresh_time_to_resolve():
    concern = ConcernFactory(
        status=Concern.Status.CLOSED,
        close_reason="not_ours",
        close_detail="x",
        resolve_by=timezone.now() - timedelta(days=30),
    )
    services.concern_not_fixed(concern=concern, text="Still there")
    concern.refresh_from_db()
    assert (concern.status, concern.close_reason, concern.close_detail) == ("under_review", "", "")
    assert concern.resolve_by > timezone.now()
    assert not service_levels.is_overdue(concern)
