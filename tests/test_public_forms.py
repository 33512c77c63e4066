"""Public forms refuse abuse through the real views: today the resident sign-up page.

Each unit's public form (concern, misconduct claim, event registration ...) adds its own cases
here or in its app as it lands; the protections come from jcr.core.abuse.ProtectedFormMixin.
"""

from __future__ import annotations

import logging
import re
import time

import pytest
import time_machine
from django.test import Client

from jcr.accounts.models import User
from jcr.core.abuse import HONEYPOT_FIELD, TIMESTAMP_FIELD, form_timestamp
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
PASSWORD = "a long resident password 9"


def _signup(email: str, **extra) -> dict:
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        TIMESTAMP_FIELD: form_timestamp(scope="signup", seconds_ago=30),
        **extra,
    }


def _abuse_log(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "jcr.abuse"]


@pytest.fixture
def limits(settings):
    settings.JCR_FORM_MIN_FILL_SECONDS = 3
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "signup": "3/h/ip,2/h/email"}


def test_the_signup_page_carries_the_hidden_honeypot_and_a_signed_timestamp(resident):
    html = resident.get(SIGNUP_URL).content.decode()
    assert re.search(
        r'<div class="jcr-extra-field" aria-hidden="true"><label for="id_website">Leave this field empty</label>'
        r'<input type="text" name="website"[^>]*tabindex="-1"',
        html,
    ), "the honeypot must render inside its hidden block"
    assert html.count("Leave this field empty") == 1, "no second, visible label"
    assert re.search(rf'<input type="hidden" name="{TIMESTAMP_FIELD}" value="[^"]+:[^"]+"', html)
    assert ".jcr-extra-field" in (resident.get("/static/css/portal.css").getvalue().decode())


def test_a_person_who_took_their_time_signs_up(resident, limits, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    page = resident.get(SIGNUP_URL).content.decode()
    shown = re.search(rf'name="{TIMESTAMP_FIELD}" value="([^"]+)"', page)[1]
    with time_machine.travel(time.time() + 5):
        response = resident.post(SIGNUP_URL, {**_signup("newcomer@example.org"), TIMESTAMP_FIELD: shown})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="newcomer@example.org").exists()
    assert not _abuse_log(caplog)


def test_a_bot_filling_the_honeypot_gets_an_error_and_no_account(resident, limits, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    response = resident.post(SIGNUP_URL, _signup("bot@example.org", **{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 200
    assert "a field that must stay empty was filled in" in response.content.decode()
    assert not User.objects.filter(email="bot@example.org").exists()
    assert not OutboundEmail.objects.exists()
    (line,) = _abuse_log(caplog)
    assert "form=ResidentSignupForm scope=signup reason=honeypot ip=127.0.0.1" in line


def test_a_form_sent_straight_after_loading_is_refused(resident, limits, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    page = resident.get(SIGNUP_URL).content.decode()
    shown = re.search(rf'name="{TIMESTAMP_FIELD}" value="([^"]+)"', page)[1]
    response = resident.post(SIGNUP_URL, {**_signup("quick@example.org"), TIMESTAMP_FIELD: shown})
    assert response.status_code == 200
    assert "sent too quickly" in response.content.decode()
    assert not User.objects.filter(email="quick@example.org").exists()
    assert "reason=too_fast" in _abuse_log(caplog)[0]


def test_a_post_without_the_timestamp_is_refused(resident, limits, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    data = _signup("scripted@example.org")
    del data[TIMESTAMP_FIELD]
    response = resident.post(SIGNUP_URL, data)
    assert response.status_code == 200
    assert "could not be checked" in response.content.decode()
    assert not User.objects.filter(email="scripted@example.org").exists()
    assert "reason=invalid" in _abuse_log(caplog)[0]


def test_the_fourth_signup_from_one_ip_in_the_window_is_refused(resident, limits, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    for n in range(3):
        response = resident.post(SIGNUP_URL, _signup(f"neighbour{n}@example.org"))
        assert response.status_code == 302, n
        resident.logout()
    emails_before = OutboundEmail.objects.count()
    response = resident.post(SIGNUP_URL, _signup("neighbour3@example.org"))
    assert response.status_code == 200
    assert re.search(
        r"Too many submissions came from your connection or e-mail address\. "
        r"Please try again in \d+ minutes?\.",
        response.content.decode(),
    )
    assert not User.objects.filter(email="neighbour3@example.org").exists()
    assert OutboundEmail.objects.count() == emails_before
    assert any("reason=rate_limited ip=127.0.0.1" in line for line in _abuse_log(caplog))

    other = Client(REMOTE_ADDR="198.51.100.20")  # another connection is not affected
    assert other.post(SIGNUP_URL, _signup("elsewhere@example.org")).status_code == 302


def test_one_address_signing_up_again_and_again_from_many_ips_is_refused(limits, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    for n in range(2):
        response = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(SIGNUP_URL, _signup("target@example.org"))
        assert response.status_code == 302  # the second goes allauth's "already exists" way
    response = Client(REMOTE_ADDR="198.51.100.9").post(SIGNUP_URL, _signup("Target@Example.org"))
    assert response.status_code == 200
    assert "Too many submissions" in response.content.decode()
    assert User.objects.filter(email__iexact="target@example.org").count() == 1
    assert any("limits=2/3600s/email" in line for line in _abuse_log(caplog))
