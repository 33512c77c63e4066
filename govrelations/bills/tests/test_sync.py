"""The Open States import against recorded answers in the API's v3 /bills shape."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

from govrelations.bills import sync
from govrelations.bills.openstates import (
    OpenStatesClient,
    OpenStatesNotConfigured,
    OpenStatesRejected,
    OpenStatesUnavailable,
)
from govrelations.bills.tests.factories import BillFactory, BillFollowFactory, SessionFactory
from govrelations.models import (
    Bill,
    BillAction,
    BillAlert,
    ImplementationTask,
    RelatedBill,
    SyncError,
    SyncRun,
    SyncTarget,
)
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


class RecordedAPI:
    """Answers GET /bills with the recorded pages, one per request in order (the sync asks for
    the next page by keyset); records each call."""

    def __init__(self, *pages: dict, fail_on_page: int | None = None):
        self.pages = pages
        self.calls: list[dict] = []
        self.fail_on_page = fail_on_page

    def __call__(self, url: str, *, headers: dict, timeout: int) -> dict:
        query = parse_qs(urlparse(url).query)
        self.calls.append({"url": url, "query": query, "headers": headers})
        if len(self.calls) == self.fail_on_page:
            raise OpenStatesUnavailable("HTTP 503 from Open States")
        return self.pages[len(self.calls) - 1]


def _client(api: RecordedAPI) -> OpenStatesClient:
    return OpenStatesClient(
        base_url="https://v3.openstates.test", api_key="k-123", get_json=api, sleep=lambda s: None, max_retries=0
    )


def test_sync_imports_every_page_and_skips_malformed_records():
    api = RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))
    since = datetime(2025, 6, 1, tzinfo=UTC)

    run = sync.openstates_sync(client=_client(api), jurisdiction="California", subject="Crime", updated_since=since)

    assert run.status == SyncRun.Status.DONE
    assert (run.pages, run.created, run.updated, run.unchanged, run.skipped) == (2, 3, 0, 0, 2)
    assert sorted(Bill.objects.values_list("identifier", flat=True)) == ["AB 1001", "AB 1004", "SB 202"]
    reasons = dict(SyncError.objects.filter(run=run).values_list("identifier", "reason"))
    assert reasons == {"AB 1003": "title is missing", "AB 1005": "action 1 date is not a date: 'not-a-date'"}
    # the request: key in the header, every include, filters, pagination
    first = api.calls[0]
    assert first["url"].startswith("https://v3.openstates.test/bills?")
    assert first["headers"]["X-API-KEY"] == "k-123"
    assert first["query"]["include"] == [
        "sponsorships",
        "abstracts",
        "actions",
        "versions",
        "documents",
        "votes",
        "related_bills",
    ]
    assert first["query"]["jurisdiction"] == ["California"]
    assert first["query"]["subject"] == ["Crime"]
    assert first["query"]["updated_since"] == ["2025-06-01T00:00:00"]
    # the next page by keyset: bills updated since the newest one seen, to the second
    assert api.calls[1]["query"]["page"] == ["1"]
    assert api.calls[1]["query"]["updated_since"] == ["2025-06-02T08:15:01"]


def test_sync_writes_the_bill_in_open_states_shape():
    sync.openstates_sync(
        client=_client(RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))), jurisdiction="California"
    )
    bill = Bill.objects.get(identifier="SB 202")
    assert bill.session.identifier == "20252026"
    assert bill.session.name == "2025-2026"
    assert bill.jurisdiction.name == "California"
    assert bill.from_organization == "Senate"
    assert bill.status == Bill.Status.PASSED_CHAMBER
    assert bill.source_updated_at == datetime(2025, 6, 2, 8, 15, 1, 123456, tzinfo=UTC)
    assert sorted(bill.subjects.values_list("name", flat=True)) == ["Courts", "Crime"]
    assert bill.abstracts.get().note == "Legislative Counsel's Digest"
    primary, co = bill.sponsorships.all()
    assert (primary.name, primary.primary, co.name, co.primary) == ("Bonta", True, "Wiener", False)
    assert [a.classification for a in bill.actions.all()][-1] == ["passage", "reading-3"]
    assert bill.documents.filter(kind="version").get().links[0]["media_type"] == "text/html"
    vote = bill.votes.get()
    assert (vote.yes_count, vote.no_count, vote.other_count, vote.result) == (7, 1, 1, "pass")
    related = bill.related_bills.get()
    assert (related.identifier, related.legislative_session, related.relation_type) == (
        "SB 202",
        "20232024",
        "prior-session",
    )
    assert Bill.objects.get(identifier="AB 1001").status == Bill.Status.IN_COMMITTEE


def test_sync_twice_changes_nothing():
    pages = (_load("bills_page1.json"), _load("bills_page2.json"))
    sync.openstates_sync(client=_client(RecordedAPI(*pages)), jurisdiction="California")
    before = {
        b.pk: (b.updated_at, b.source_hash, list(b.actions.values_list("pk", flat=True))) for b in Bill.objects.all()
    }
    audits = AuditEntry.objects.count()

    run = sync.openstates_sync(client=_client(RecordedAPI(*pages)), jurisdiction="California")

    assert (run.created, run.updated, run.unchanged, run.skipped) == (0, 0, 3, 2)
    after = {
        b.pk: (b.updated_at, b.source_hash, list(b.actions.values_list("pk", flat=True))) for b in Bill.objects.all()
    }
    assert after == before
    assert AuditEntry.objects.count() == audits


def test_sync_update_alerts_followers_and_chaptered_bill_gets_tasks(django_capture_on_commit_callbacks):
    sync.openstates_sync(
        client=_client(RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))), jurisdiction="California"
    )
    bill = Bill.objects.get(identifier="SB 202")
    follow = BillFollowFactory(bill=bill)
    bill.is_watched = True
    bill.analysis_memo = "Keep me"
    bill.save()

    with django_capture_on_commit_callbacks() as callbacks:
        run = sync.openstates_sync(client=_client(RecordedAPI(_load("bills_updated.json"))), jurisdiction="California")

    assert (run.updated, run.created) == (1, 0)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.CHAPTERED
    assert (bill.is_watched, bill.analysis_memo) == (True, "Keep me")  # tracking is never overwritten
    assert bill.actions.count() == 6
    alerts = BillAlert.objects.filter(bill=bill, recipient=follow.user).order_by("action_date")
    assert [a.action_description[:20] for a in alerts] == ["In Assembly. Read th", "Approved by the Gove"]
    assert len(callbacks) == 2  # each alert handed to a worker after commit
    assert set(ImplementationTask.objects.filter(bill=bill).values_list("kind", flat=True)) == {
        "policy",
        "training",
        "legal_update",
    }
    # importing the same update again adds no alert and no task
    sync.openstates_sync(client=_client(RecordedAPI(_load("bills_updated.json"))), jurisdiction="California")
    assert BillAlert.objects.filter(bill=bill).count() == 2
    assert ImplementationTask.objects.filter(bill=bill).count() == 3


def test_sync_adopts_a_bill_entered_by_hand():
    session = SessionFactory()
    manual = BillFactory(session=session, identifier="AB 1001", title="Typed in", open_states_id=None)
    sync.openstates_sync(
        client=_client(RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))), jurisdiction="California"
    )
    manual.refresh_from_db()
    assert manual.title == "Pretrial diversion: mental health"
    assert manual.open_states_id.startswith("ocd-bill/")
    assert Bill.objects.filter(identifier="AB 1001").count() == 1


def test_sync_resolves_a_related_bill_in_the_tracker():
    prior = BillFactory(session=SessionFactory(identifier="20232024", name="2023-2024"), identifier="SB 202")
    sync.openstates_sync(
        client=_client(RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))), jurisdiction="California"
    )
    assert RelatedBill.objects.get(bill__open_states_id__isnull=False, identifier="SB 202").related == prior


def test_sync_api_failure_keeps_whole_bills_and_marks_run_failed():
    api = RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"), fail_on_page=2)
    run = sync.openstates_sync(client=_client(api), jurisdiction="California")
    assert run.status == SyncRun.Status.FAILED
    assert "503" in run.error
    assert run.created == 2
    for bill in Bill.objects.all():  # each imported bill is complete
        assert bill.actions.exists()
        assert bill.abstracts.exists()


def test_sync_database_error_on_one_bill_leaves_nothing_half_written(monkeypatch):
    real = BillAction.objects.bulk_create

    def failing(objs, *args, **kwargs):
        if objs and objs[0].bill.identifier == "SB 202":
            from django.db import IntegrityError

            raise IntegrityError("simulated")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(BillAction.objects, "bulk_create", failing)
    run = sync.openstates_sync(
        client=_client(RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))), jurisdiction="California"
    )
    assert run.skipped == 3
    assert not Bill.objects.filter(identifier="SB 202").exists()
    assert "could not be saved" in SyncError.objects.get(run=run, identifier="SB 202").reason


def test_client_needs_a_key(settings):
    settings.OPENSTATES_API_KEY = ""
    with pytest.raises(OpenStatesNotConfigured):
        OpenStatesClient()


def test_targets_run_from_last_sync_with_overlap():
    target = SyncTarget.objects.get(jurisdiction="California")  # created by the data migration
    last = timezone.now() - timedelta(days=1)
    SyncTarget.objects.filter(pk=target.pk).update(last_synced_at=last, session="20252026")
    api = RecordedAPI(_load("bills_updated.json"))
    (run,) = sync.sync_targets_run(client=_client(api))
    assert run.target_id == target.pk
    assert api.calls[0]["query"]["session"] == ["20252026"]
    expected = (last - sync.OVERLAP).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert api.calls[0]["query"]["updated_since"] == [expected]
    target.refresh_from_db()
    assert target.last_synced_at == run.started_at


def test_management_command_runs_the_sync(monkeypatch, settings):
    settings.OPENSTATES_API_KEY = "k"
    api = RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))
    monkeypatch.setattr("govrelations.bills.openstates.http_get_json", api)
    call_command("openstates_sync", "--jurisdiction", "California", "--since", "2025-06-01")
    run = SyncRun.objects.get()
    assert (run.created, run.skipped) == (3, 2)
    assert api.calls[0]["query"]["updated_since"] == ["2025-06-01T00:00:00"]


def test_nightly_task_without_a_key_does_nothing(settings, caplog):
    from govrelations.bills.tasks import openstates_sync_nightly

    settings.OPENSTATES_API_KEY = ""
    assert openstates_sync_nightly() is None
    assert "OPENSTATES_API_KEY is not set" in caplog.text
    assert not SyncRun.objects.exists()


def test_nightly_task_runs_the_active_targets(settings, monkeypatch):
    from govrelations.bills.tasks import openstates_sync_nightly

    settings.OPENSTATES_API_KEY = "k"
    api = RecordedAPI(_load("bills_page1.json"), _load("bills_page2.json"))
    monkeypatch.setattr("govrelations.bills.openstates.http_get_json", api)
    (result,) = openstates_sync_nightly()
    assert (result["status"], result["created"], result["skipped"]) == ("done", 3, 2)


# --- The HTTP client against a local server ------------------------------------------------------


def test_client_speaks_http_to_the_api(httpserver):
    page = _load("bills_page1.json")
    page["pagination"]["max_page"] = 1
    httpserver.expect_request(
        "/bills", method="GET", headers={"X-API-KEY": "k-wire"}, query_string=None
    ).respond_with_json(page)
    client = OpenStatesClient(base_url=httpserver.url_for("/"), api_key="k-wire")
    [answer] = list(client.bill_pages(jurisdiction="California"))
    assert answer["results"] == page["results"]
    [(request, _response)] = httpserver.log
    assert request.args["jurisdiction"] == "California"
    assert request.args.getlist("include")[0] == "sponsorships"
    assert request.headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    ("status", "error"),
    [(429, OpenStatesUnavailable), (503, OpenStatesUnavailable), (401, OpenStatesRejected), (422, OpenStatesRejected)],
)
def test_client_sorts_http_errors_into_transient_and_permanent(httpserver, status, error):
    httpserver.expect_request("/bills").respond_with_data("no", status=status)
    client = OpenStatesClient(base_url=httpserver.url_for("/"), api_key="k")
    with pytest.raises(error):
        list(client.bill_pages(jurisdiction="California"))


def test_client_treats_a_body_that_is_not_json_as_transient(httpserver):
    httpserver.expect_request("/bills").respond_with_data("<html>maintenance</html>", content_type="text/html")
    client = OpenStatesClient(base_url=httpserver.url_for("/"), api_key="k")
    with pytest.raises(OpenStatesUnavailable):
        list(client.bill_pages(jurisdiction="California"))
