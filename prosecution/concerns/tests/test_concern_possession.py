"""Resident actions by possession: the tracking code is the reporter's, public pages and Open311
call a concern by its public reference, and "add information" / "not fixed" need the signed link
of the reporter's e-mail (or the reporter signed in)."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from prosecution.concerns import resident_links
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.resident_links import ADD_INFO, NOT_FIXED, concern_action_token
from prosecution.concerns.services import concern_submit
from prosecution.concerns.services_desk import concern_set_status
from prosecution.concerns.tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def _url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"prosecution:{name}", kwargs=kwargs)


def _post_data(action: str, token: str = "", **extra) -> dict:
    prefix = "info" if action == ADD_INFO else "notfixed"
    data = {
        f"{prefix}-text": "Still there and worse",
        f"{prefix}-website": "",
        f"{prefix}-form_ts": form_timestamp(scope="concern_update", seconds_ago=30),
        **extra,
    }
    if token:
        data["token"] = token
    return data


def _changes(concern: Concern) -> tuple:
    concern.refresh_from_db()
    kinds = (ConcernUpdate.Kind.RESIDENT_INFO, ConcernUpdate.Kind.NOT_FIXED)
    return concern.status, concern.reopened_count, concern.updates.filter(kind__in=kinds).count()


@pytest.mark.parametrize("action", [ADD_INFO, NOT_FIXED])
@pytest.mark.parametrize(
    "token",
    ["", "forged:token:value", "other-concern", "other-action"],
    ids=["code-alone", "forged", "other-concern", "other-action"],
)
def test_concern_tracking_code_alone_cannot_change_a_concern(resident, action, token):
    """The attack: a stranger who knows (or harvested) a tracking code reopens or adds to it."""
    concern = ConcernFactory(status=Concern.Status.RESOLVED)
    if token == "other-concern":
        token = concern_action_token(concern=ConcernFactory(status=Concern.Status.RESOLVED), action=action)
    elif token == "other-action":
        token = concern_action_token(concern=concern, action=NOT_FIXED if action == ADD_INFO else ADD_INFO)
    before = _changes(concern)
    url = _url(resident_links.URL_NAMES[action].split(":")[1], tracking_code=concern.tracking_code)
    response = resident.post(url, _post_data(action, token))
    assert response.status_code == 403
    assert _changes(concern) == before
    assert not AuditEntry.objects.filter(action__in=["prosecution.concern.add_info", "prosecution.concern.reopen"])
    # The tracking page by code shows the status, and no form to change anything.
    page = resident.get(_url("concern_track", tracking_code=concern.tracking_code)).content.decode()
    assert "Resolved" in page
    assert "notfixed-text" not in page
    assert "info-text" not in page
    assert 'id="changes-by-link"' in page


def test_concern_signed_link_reopens_and_adds_information(resident, community_prosecutor):
    concern = ConcernFactory(status=Concern.Status.RESOLVED, assignee=community_prosecutor)
    link = resident_links.concern_action_url(concern=concern, action=NOT_FIXED)
    page = resident.get(link)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"  # the token never reaches another site
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    assert resident_links.concern_action_token_valid(concern=concern, action=NOT_FIXED, token=token)
    response = resident.post(link.split("?")[0], _post_data(NOT_FIXED, token))
    assert response.status_code == 302
    assert _changes(concern) == (Concern.Status.UNDER_REVIEW, 1, 1)
    assert OutboundEmail.objects.filter(to=community_prosecutor.email, template="prosecution/concern_reopened")

    info_token = concern_action_token(concern=concern, action=ADD_INFO)
    url = _url("concern_add_info", tracking_code=concern.tracking_code)
    assert resident.post(url, _post_data(ADD_INFO, info_token)).status_code == 302
    assert concern.updates.filter(kind=ConcernUpdate.Kind.RESIDENT_INFO).count() == 1
    assert AuditEntry.objects.filter(action="prosecution.concern.add_info").exists()


def test_concern_signed_link_expires(resident, settings):
    settings.JCR_CONCERN_LINK_DAYS = 2
    concern = ConcernFactory(status=Concern.Status.CLOSED)
    made = time.time() - 3 * 86400
    with mock.patch("django.core.signing.time.time", return_value=made):
        old = concern_action_token(concern=concern, action=NOT_FIXED)
    url = _url("concern_not_fixed", tracking_code=concern.tracking_code)
    assert resident.get(url, {"token": old}).status_code == 403
    assert resident.post(url, _post_data(NOT_FIXED, old)).status_code == 403
    assert _changes(concern)[1] == 0
    fresh = concern_action_token(concern=concern, action=NOT_FIXED)
    assert resident.post(url, _post_data(NOT_FIXED, fresh)).status_code == 302
    assert _changes(concern)[1] == 1


def test_concern_signed_in_reporter_may_act_without_a_link(client_for, resident_user):
    mine = ConcernFactory(status=Concern.Status.RESOLVED, contact_email=resident_user.email.upper())
    theirs = ConcernFactory(status=Concern.Status.RESOLVED, contact_email="someone.else@example.org")
    client = client_for(resident_user)
    for concern, expected in ((theirs, 403), (mine, 302)):
        url = _url("concern_not_fixed", tracking_code=concern.tracking_code)
        assert client.post(url, _post_data(NOT_FIXED)).status_code == expected
    assert _changes(theirs)[1] == 0
    assert _changes(mine)[1] == 1
    entry = AuditEntry.objects.get(action="prosecution.concern.reopen")
    assert entry.actor == resident_user


def test_concern_resident_actions_are_rate_limited_per_concern(resident, settings):
    """One concern takes a few changes an hour, whoever sends them (each "from" a new address
    here, so the per-address limit never applies)."""
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "concern_update_each": "2/h/email"}
    concern = ConcernFactory()
    other = ConcernFactory()
    token = concern_action_token(concern=concern, action=ADD_INFO)
    url = _url("concern_add_info", tracking_code=concern.tracking_code)
    codes = []
    for n in range(3):
        with mock.patch("jcr.core.abuse.ProtectedFormMixin.abuse_client_ip", return_value=f"203.0.113.{n}"):
            codes.append(resident.post(url, _post_data(ADD_INFO, token)).status_code)
    assert codes == [302, 302, 429]
    assert concern.updates.filter(kind=ConcernUpdate.Kind.RESIDENT_INFO).count() == 2
    other_url = _url("concern_add_info", tracking_code=other.tracking_code)
    other_token = concern_action_token(concern=other, action=ADD_INFO)
    assert resident.post(other_url, _post_data(ADD_INFO, other_token)).status_code == 302


def test_concern_emails_carry_signed_links_and_the_code_only_to_the_reporter(cpu_supervisor):
    graffiti = Category.objects.get(code="graffiti")
    concern, _created = concern_submit(
        category=graffiti, description="Tags", address="5th and J", contact_email="ana@example.org"
    )
    received = OutboundEmail.objects.get(to="ana@example.org", template="prosecution/concern_received")
    assert concern.tracking_code in received.body_text
    token = re.search(r"/add/\?token=([\w:%-]+)", received.body_text).group(1).replace("%3A", ":")
    assert resident_links.concern_action_token_valid(concern=concern, action=ADD_INFO, token=token)
    concern_set_status(
        concern=concern,
        status=Concern.Status.RESOLVED,
        actor=cpu_supervisor,
        public_text="Cleaned",
        close_reason=Concern.CloseReason.FIXED,
    )
    updated = OutboundEmail.objects.get(to="ana@example.org", template="prosecution/concern_updated")
    assert "/not-fixed/?token=" in updated.body_text
    assert "/not-fixed/?token=" in updated.body_html
    # The staff e-mail names the concern too, but carries no resident link.
    for email in OutboundEmail.objects.exclude(to="ana@example.org"):
        assert "token=" not in email.body_text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_concern_open311_and_area_pages_carry_no_tracking_code(resident, fmt):
    area = AreaFactory(kind="police_district", slug="zz-district")
    concern = ConcernFactory(status=Concern.Status.IN_PROGRESS)
    concern.areas.set([area])
    listing = resident.get(f"/open311/v2/requests.{fmt}").content.decode()
    assert concern.public_ref in listing
    assert concern.tracking_code not in listing
    one = resident.get(f"/open311/v2/requests/{concern.public_ref}.{fmt}")
    assert one.status_code == 200
    assert concern.tracking_code not in one.content.decode()
    # A tracking code is not a service_request_id: looking one up finds nothing.
    assert resident.get(f"/open311/v2/requests/{concern.tracking_code}.{fmt}").status_code == 404
    by_id = resident.get(f"/open311/v2/requests.{fmt}", {"service_request_id": concern.tracking_code})
    assert concern.public_ref not in by_id.content.decode()
    page = resident.get(_url("area_detail", slug="zz-district")).content.decode()
    assert _url("concern_public", public_ref=concern.public_ref) in page
    assert concern.tracking_code not in page
    public = resident.get(_url("concern_public", public_ref=concern.public_ref)).content.decode()
    assert concern.tracking_code not in public
    assert "In progress" in public


def test_concern_public_ref_is_random_unique_and_not_the_tracking_code():
    refs = {ConcernFactory().public_ref for _ in range(20)}
    assert len(refs) == 20
    for ref in refs:
        assert re.fullmatch(r"[a-z2-9]{12}", ref)
    assert not Concern.objects.filter(public_ref__in=Concern.objects.values("tracking_code")).exists()


def test_concern_migration_renames_merge_notices_to_the_public_reference():
    """Merge notices written before the public reference named the original by its tracking
    code on public pages and in Open311; the migration rewrites them."""
    import importlib

    migration = importlib.import_module("prosecution.migrations.0008_concern_public_ref_text_review")
    original = ConcernFactory()
    duplicate = ConcernFactory(status=Concern.Status.CLOSED)
    code = original.tracking_code
    text = f"Same problem as report {code}; follow report {code} at https://example.org/es/community-prosecution/track/{code}/"
    notice = ConcernUpdate.objects.create(concern=duplicate, kind=ConcernUpdate.Kind.STATUS, text=text)
    migration._merge_notices_forward(Concern, ConcernUpdate)
    notice.refresh_from_db()
    assert code not in notice.text
    assert f"/community-prosecution/concerns/{original.public_ref}/" in notice.text
    assert notice.text.count(original.public_ref) == 3


def test_concern_links_go_only_to_the_reporters_address(resident, settings):
    """Whoever holds the code may ask for fresh links; they go to the address on the report,
    a few times a day at most."""
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "concern_links": "10/h/ip,2/d/email"}
    concern = ConcernFactory(status=Concern.Status.RESOLVED, contact_email="ana@example.org")
    url = _url("concern_links_send", tracking_code=concern.tracking_code)
    assert resident.get(url).status_code == 405
    for _n in range(3):
        assert resident.post(url).status_code == 302
    emails = OutboundEmail.objects.filter(template="prosecution/concern_links")
    assert [e.to for e in emails] == ["ana@example.org", "ana@example.org"]
    token = re.search(r"/not-fixed/\?token=([\w:%-]+)", emails[0].body_text).group(1).replace("%3A", ":")
    assert resident_links.concern_action_token_valid(concern=concern, action=NOT_FIXED, token=token)
    assert AuditEntry.objects.filter(action="prosecution.concern.links_sent").count() == 2
    nobody = ConcernFactory(contact_email="")
    resident.post(_url("concern_links_send", tracking_code=nobody.tracking_code))
    assert OutboundEmail.objects.filter(template="prosecution/concern_links").count() == 2
