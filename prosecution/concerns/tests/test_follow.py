"""Following a concern (double opt-in, one-click unfollow, update e-mails without the
reporter) and "me too"."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jcr.core.abuse import form_timestamp
from jcr.core.models import OutboundEmail
from prosecution.concerns import tasks
from prosecution.concerns.models import Concern
from prosecution.concerns.models_follow import ConcernFollow, ConcernSupport, OptInStatus
from prosecution.concerns.services_desk import concern_set_status
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"prosecution:{name}", kwargs=kwargs)


def _follow(client, concern, email="Neighbor@Example.org"):
    return client.post(
        _url("concern_follow", public_ref=concern.public_ref),
        {"email": email, "website": "", "form_ts": form_timestamp(scope="concern_follow", seconds_ago=30)},
    )


def _link(text: str, path_start: str) -> str:
    match = re.search(rf"https?://\S*?({re.escape(path_start)}[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def _confirmed_follower(client, concern, email="neighbor@example.org") -> ConcernFollow:
    _follow(client, concern, email)
    body = OutboundEmail.objects.get(template="prosecution/concern_follow_confirm", to=email).body_text
    client.post(_link(body, "/community-prosecution/follow/confirm/"))
    return ConcernFollow.objects.get(email=email)


@pytest.fixture
def concern():
    return ConcernFactory(
        contact_name="Zz Reporter Name", contact_email="zzreporter@example.org", contact_phone="916-555-0199"
    )


def test_following_needs_the_confirmation_link_pressed(resident, concern):
    response = _follow(resident, concern)
    assert response.status_code == 200
    follow = ConcernFollow.objects.get()
    assert (follow.email, follow.status) == ("neighbor@example.org", OptInStatus.PENDING)
    email = OutboundEmail.objects.get(template="prosecution/concern_follow_confirm")
    assert email.to == "neighbor@example.org"
    confirm = _link(email.body_text, "/community-prosecution/follow/confirm/")
    page = resident.get(confirm)
    assert page.status_code == 200
    # The secret address is not sent to other sites, and the page's own POST keeps its Origin
    # header (under "no-referrer" a browser sends "Origin: null", which the CSRF check refuses).
    assert page["Referrer-Policy"] == "same-origin"
    assert ConcernFollow.objects.get().status == OptInStatus.PENDING  # a link scanner confirms nothing
    assert resident.post(confirm).status_code == 200
    assert ConcernFollow.objects.get().status == OptInStatus.CONFIRMED
    assert resident.post(_url("concern_follow_confirm", key="forged")).status_code == 404


def test_unfollow_is_one_click_from_the_e_mail_without_a_session(resident, concern):
    follow = _confirmed_follower(resident, concern)
    email = OutboundEmail.objects.get(template="prosecution/concern_follow_confirm")
    unfollow = _url("concern_unfollow", token=follow.token)
    assert email.headers["List-Unsubscribe"].endswith(f"{unfollow}>")
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.post(unfollow, {"List-Unsubscribe": "One-Click"}).status_code == 200
    follow.refresh_from_db()
    assert follow.status == OptInStatus.UNSUBSCRIBED


def test_followers_get_the_status_update_without_the_reporter(
    resident, concern, cpu_supervisor, django_capture_on_commit_callbacks
):
    follow = _confirmed_follower(resident, concern)
    ConcernFollow.objects.create(concern=concern, email="pending@example.org")  # never confirmed
    with (
        mock.patch.object(tasks.concern_followers_notify, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        concern_set_status(
            concern=concern, status=Concern.Status.IN_PROGRESS, actor=cpu_supervisor, public_text="Crew sent today"
        )
        assert not OutboundEmail.objects.filter(template="prosecution/concern_follow_update").exists()
    (kwargs,) = [call.kwargs["kwargs"] for call in apply_async.call_args_list]
    assert tasks.concern_followers_notify(**kwargs) == 1
    assert tasks.concern_followers_notify(**kwargs) == 0  # redelivered: nothing twice
    email = OutboundEmail.objects.get(template="prosecution/concern_follow_update")
    assert email.to == follow.email
    assert "Crew sent today" in email.body_text
    assert "In progress" in email.subject
    message = email.subject + email.body_text + str(email.headers)
    for private in ("Zz Reporter Name", "zzreporter", "916-555-0199", concern.tracking_code, concern.description):
        assert private not in message
    assert _url("concern_unfollow", token=follow.token) in email.body_text
    assert email.headers["List-Unsubscribe"].endswith(f"{_url('concern_unfollow', token=follow.token)}>")


@pytest.mark.parametrize("name", ["concern_follow", "concern_me_too"])
def test_sensitive_concerns_cannot_be_followed_or_supported(resident, name):
    sensitive = ConcernFactory(category=CategoryFactory(code="follow-sensitive", is_sensitive=True))
    data = {"email": "x@example.org", "website": "", "form_ts": form_timestamp(scope="concern_follow", seconds_ago=30)}
    assert resident.post(_url(name, public_ref=sensitive.public_ref), data).status_code == 404
    assert not ConcernFollow.objects.exists()
    assert not ConcernSupport.objects.exists()
    track = resident.get(_url("concern_track", tracking_code=sensitive.tracking_code)).content.decode()
    assert _url("concern_follow", public_ref=sensitive.public_ref) not in track


def test_public_page_offers_follow_and_me_too_with_the_count(resident, concern):
    ConcernSupport.objects.create(concern=concern, voter="a")
    ConcernSupport.objects.create(concern=concern, voter="b")
    body = resident.get(_url("concern_public", public_ref=concern.public_ref)).content.decode()
    assert 'action="{}"'.format(_url("concern_follow", public_ref=concern.public_ref)) in body
    assert 'action="{}"'.format(_url("concern_me_too", public_ref=concern.public_ref)) in body
    assert "2 people said this affects them too." in body


def test_me_too_counts_once_per_browser_and_once_per_verified_address(resident, concern, client_for, resident_user):
    url = _url("concern_me_too", public_ref=concern.public_ref)
    assert resident.post(url).status_code == 200
    assert resident.post(url).status_code == 200
    assert ConcernSupport.objects.filter(concern=concern).count() == 1
    # The same verified address from two devices counts once.
    client_for(resident_user).post(url)
    client_for(resident_user).post(url)
    assert ConcernSupport.objects.filter(concern=concern).count() == 2
    assert "2 people said" in client_for(resident_user).post(url).content.decode()
    assert Concern.objects.count() == 1  # not a new report


def test_me_too_is_rate_limited_per_client(resident, concern, settings):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "concern_me_too": "2/h/ip"}
    url = _url("concern_me_too", public_ref=concern.public_ref)
    assert [Client().post(url).status_code for _ in range(3)] == [200, 200, 429]
    assert ConcernSupport.objects.filter(concern=concern).count() == 2


def test_the_sweep_tells_followers_an_outage_left_untold_and_no_later_follower(resident, concern, cpu_supervisor):
    follow = _confirmed_follower(resident, concern)
    with mock.patch.object(tasks.concern_followers_notify, "apply_async", side_effect=ConnectionError):
        concern_set_status(concern=concern, status=Concern.Status.UNDER_REVIEW, actor=cpu_supervisor)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        _confirmed_follower(resident, concern, email="late@example.org")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert tasks.concern_followers_sweep() == 1
        assert tasks.concern_followers_sweep() == 0
    sent = OutboundEmail.objects.filter(template="prosecution/concern_follow_update")
    assert list(sent.values_list("to", flat=True)) == [follow.email]


def test_a_signed_in_residents_verified_address_follows_at_once(client_for, resident_user, concern):
    response = _follow(client_for(resident_user), concern, email=resident_user.email)
    assert response.status_code == 200
    assert ConcernFollow.objects.get().status == OptInStatus.CONFIRMED
    assert not OutboundEmail.objects.filter(template="prosecution/concern_follow_confirm").exists()
    _follow(client_for(resident_user), concern, email="another@example.org")  # not theirs: confirm by e-mail
    assert ConcernFollow.objects.get(email="another@example.org").status == OptInStatus.PENDING
