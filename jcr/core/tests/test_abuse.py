"""Public-form protection: honeypot, signed minimum fill time, rate limits from settings."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django import forms
from django.core import signing
from django.core.exceptions import ImproperlyConfigured

from jcr.core import abuse
from jcr.core.abuse import (
    HONEYPOT_FIELD,
    TIMESTAMP_FIELD,
    ProtectedFormMixin,
    RateLimit,
    form_timestamp,
    parse_rate_limit,
    parse_rate_limits,
    rate_limit_check,
    rate_limit_hit,
)
from jcr.core.context import RequestContext, current

IP = "203.0.113.7"
# A fixed instant 10 minutes into an hour, so windows are predictable.
T0 = 1_767_225_600 + 600  # 2026-01-01 00:10:00 UTC


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.JCR_FORM_MIN_FILL_SECONDS = 3
    settings.JCR_FORM_MAX_AGE_HOURS = 24
    settings.JCR_RATE_LIMITS = {"tip": "2/h/ip,1/h/email", "quiet": "off", "visit": "3/10m/ip"}


@pytest.fixture
def from_ip():
    token = current.set(RequestContext(ip=IP))
    yield IP
    current.reset(token)


class TipForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "tip"
    email = forms.EmailField()
    message = forms.CharField()


def _data(**overrides) -> dict:
    return {
        "email": "resident@example.org",
        "message": "A broken streetlight",
        HONEYPOT_FIELD: "",
        TIMESTAMP_FIELD: form_timestamp(scope="tip", seconds_ago=30),
        **overrides,
    }


def _abuse_records(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "jcr.abuse"]


# --- Honeypot and timestamp ------------------------------------------------------------------


def test_a_person_who_took_their_time_passes(from_ip, caplog):
    form = TipForm(data=_data())
    assert form.is_valid(), form.errors
    assert HONEYPOT_FIELD in form.cleaned_data  # the extra fields are ordinary form fields
    assert not _abuse_records(caplog)


def test_a_filled_honeypot_is_refused_and_logged_with_form_and_ip(from_ip, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    form = TipForm(data=_data(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "honeypot"
    assert "must stay empty" in form.non_field_errors()[0]
    (record,) = _abuse_records(caplog)
    assert "form=TipForm" in record
    assert "reason=honeypot" in record
    assert f"ip={IP}" in record


def test_a_form_sent_too_fast_is_refused(from_ip, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    form = TipForm(data=_data(**{TIMESTAMP_FIELD: form_timestamp(scope="tip", seconds_ago=1)}))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "too_fast"
    assert "too quickly" in form.non_field_errors()[0]
    assert "reason=too_fast" in _abuse_records(caplog)[0]


def test_the_minimum_fill_time_comes_from_settings(from_ip, settings):
    settings.JCR_FORM_MIN_FILL_SECONDS = 60
    assert not TipForm(data=_data()).is_valid()  # 30 s is now too fast
    settings.JCR_FORM_MIN_FILL_SECONDS = 0
    assert TipForm(data=_data(**{TIMESTAMP_FIELD: form_timestamp(scope="tip")})).is_valid()


def test_the_fill_time_is_measured_from_when_the_form_was_shown():
    with time_machine.travel(T0, tick=False):
        shown = TipForm()[TIMESTAMP_FIELD].value()
    with time_machine.travel(T0 + 2, tick=False):
        assert TipForm(data=_data(**{TIMESTAMP_FIELD: shown})).errors["__all__"]
    with time_machine.travel(T0 + 4, tick=False):
        assert TipForm(data=_data(**{TIMESTAMP_FIELD: shown})).is_valid()


def _forged() -> str:
    """A timestamp from an hour ago, with the signature of another value."""
    real = form_timestamp(scope="tip", seconds_ago=30)
    old = signing.dumps(round(time.time() - 3600, 3), salt="jcr.abuse.form-ts.tip").split(":")[0]
    return old + ":" + real.split(":", 1)[1]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="missing"),
        pytest.param("12345", id="plain number"),
        pytest.param(_forged(), id="forged signature"),
        pytest.param(signing.dumps(time.time() - 30, salt="another"), id="other salt"),
        pytest.param(form_timestamp(scope="visit", seconds_ago=30), id="another form's value"),
        pytest.param(signing.dumps("yesterday", salt="jcr.abuse.form-ts.tip"), id="signed non-number"),
    ],
)
def test_a_missing_or_forged_timestamp_is_refused(value, from_ip, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    form = TipForm(data=_data(**{TIMESTAMP_FIELD: value}))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "invalid"
    assert "reason=invalid" in _abuse_records(caplog)[0]


def test_a_form_left_open_too_long_is_refused_and_shown_again_with_a_fresh_timestamp():
    stale = form_timestamp(scope="tip", seconds_ago=25 * 3600)
    form = TipForm(data=_data(**{TIMESTAMP_FIELD: stale}))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "expired"
    fresh = form[TIMESTAMP_FIELD].value()
    assert fresh != stale
    assert abs(abuse.form_timestamp_age(scope="tip", value=fresh)) < 5


def test_shown_again_after_an_error_a_good_timestamp_is_kept_and_the_honeypot_is_not_echoed():
    good = form_timestamp(scope="tip", seconds_ago=30)
    form = TipForm(data=_data(email="not an address", **{TIMESTAMP_FIELD: good, HONEYPOT_FIELD: "bot text"}))
    assert not form.is_valid()
    assert form[TIMESTAMP_FIELD].value() == good  # the clock keeps running from the first display
    assert "bot text" not in str(form[HONEYPOT_FIELD])


def test_the_extra_fields_render_hidden_from_people_and_assistive_technology():
    form = TipForm()
    honeypot = str(form[HONEYPOT_FIELD])
    assert honeypot.startswith('<div class="jcr-extra-field" aria-hidden="true">')
    assert '<label for="id_website">Leave this field empty</label>' in honeypot
    assert 'type="text"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot
    assert "required" not in honeypot
    assert "style=" not in honeypot  # the content security policy forbids inline styles
    assert form[HONEYPOT_FIELD].is_hidden  # renderers print no second, visible label
    timestamp = str(form[TIMESTAMP_FIELD])
    assert 'type="hidden"' in timestamp
    assert abuse.form_timestamp_age(scope="tip", value=form[TIMESTAMP_FIELD].value()) < 5
    assert "Leave this field empty" not in form.as_div().replace(honeypot, "")


def test_a_form_without_a_scope_is_a_programming_error():
    class Unscoped(ProtectedFormMixin, forms.Form):
        pass

    with pytest.raises(ImproperlyConfigured, match="abuse_scope"):
        Unscoped()


# --- Rate limits --------------------------------------------------------------------------------


def test_per_ip_limit_in_a_frozen_window(caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    with time_machine.travel(T0, tick=False):
        assert rate_limit_check(scope="tip", ip=IP, email=None) == 0
        assert rate_limit_check(scope="tip", ip=IP, email=None) == 0
        # The third within the hour: refused until the hour is over (50 minutes from T0).
        assert rate_limit_check(scope="tip", ip=IP, email=None) == 50 * 60
        assert rate_limit_hit(scope="tip", ip=IP, email=None)
        assert not rate_limit_hit(scope="tip", ip="198.51.100.1", email=None)
    assert "rate limit hit: scope=tip ip=203.0.113.7 limits=2/3600s/ip" in _abuse_records(caplog)
    with time_machine.travel(T0 + 50 * 60, tick=False):  # the next window
        assert not rate_limit_hit(scope="tip", ip=IP, email=None)


def test_per_email_limit_ignores_case_and_spaces_and_follows_the_address_across_ips():
    with time_machine.travel(T0, tick=False):
        assert not rate_limit_hit(scope="tip", ip="198.51.100.1", email="Resident@Example.org")
        assert rate_limit_hit(scope="tip", ip="198.51.100.2", email=" resident@example.org ")
        assert not rate_limit_hit(scope="tip", ip="198.51.100.3", email="neighbour@example.org")


def test_windows_of_n_units(settings):
    with time_machine.travel(T0, tick=False):  # windows of 10 minutes: T0 starts one
        for _ in range(3):
            assert not rate_limit_hit(scope="visit", ip=IP, email=None)
        assert rate_limit_check(scope="visit", ip=IP, email=None) == 600
    with time_machine.travel(T0 + 600, tick=False):
        assert not rate_limit_hit(scope="visit", ip=IP, email=None)


def test_an_off_scope_and_missing_keys_never_limit():
    for _ in range(20):
        assert not rate_limit_hit(scope="quiet", ip=IP, email="a@example.org")
        assert not rate_limit_hit(scope="visit", ip=None, email=None)


def test_an_unknown_scope_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="JCR_RATE_LIMITS"):
        rate_limit_hit(scope="nonexistent", ip=IP, email=None)


def test_the_cache_never_holds_an_address_in_clear():
    from django.core.cache import cache

    rate_limit_hit(scope="tip", ip=IP, email="resident@example.org")
    keys = list(cache._cache.keys())  # locmem in tests
    assert len(keys) == 2
    assert not any("resident" in key or IP in key for key in keys)


def test_when_the_cache_is_down_submissions_are_allowed_and_the_failure_logged(settings, caplog, from_ip):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    started = time.monotonic()
    for _ in range(5):
        assert not rate_limit_hit(scope="tip", ip=IP, email="resident@example.org")
    assert TipForm(data=_data()).is_valid()
    assert time.monotonic() - started < 5
    records = _abuse_records(caplog)
    assert len(records) == 6
    assert all("rate limit not checked (cache unavailable): scope=tip" in r for r in records)


def test_the_form_counts_and_refuses_with_the_minutes_to_wait(from_ip, caplog):
    caplog.set_level(logging.WARNING, logger="jcr.abuse")
    with time_machine.travel(T0 + 30, tick=False):
        data = _data(**{TIMESTAMP_FIELD: form_timestamp(scope="tip", seconds_ago=30)})
        assert TipForm(data=data).is_valid()
        form = TipForm(data={**data, "email": "other@example.org"})
        assert form.is_valid()
        form = TipForm(data={**data, "email": "third@example.org"})  # third from this IP
        assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "rate_limited"
    # 49.5 minutes left in the window: rounded up.
    assert form.non_field_errors() == [
        "Too many submissions came from your connection or e-mail address. Please try again in 50 minutes."
    ]
    assert any("reason=rate_limited" in r and f"ip={IP}" in r for r in _abuse_records(caplog))


def test_a_form_with_mistakes_or_refused_as_a_bot_is_not_counted(from_ip):
    with time_machine.travel(T0, tick=False):
        ts = form_timestamp(scope="tip", seconds_ago=30)
        for _ in range(5):
            assert not TipForm(data=_data(email="not an address", **{TIMESTAMP_FIELD: ts})).is_valid()
            assert not TipForm(data=_data(**{TIMESTAMP_FIELD: ts, HONEYPOT_FIELD: "x"})).is_valid()
        assert TipForm(data=_data(**{TIMESTAMP_FIELD: ts})).is_valid()


def test_the_minutes_message_is_singular_for_one_minute(from_ip):
    with time_machine.travel(T0 + 49 * 60 + 30, tick=False):  # 30 s before the hour ends
        data = _data(**{TIMESTAMP_FIELD: form_timestamp(scope="tip", seconds_ago=30)})
        assert TipForm(data=data).is_valid()
        form = TipForm(data=data)  # same e-mail: over 1/h/email
        assert not form.is_valid()
    assert "try again in 1 minute." in form.non_field_errors()[0]


# --- Parsing the settings ---------------------------------------------------------------------


def test_rate_limit_specs_parse():
    assert parse_rate_limit("10/h/ip,5/h/email") == (RateLimit(10, 3600, "ip"), RateLimit(5, 3600, "email"))
    assert parse_rate_limit(" 3/15m/ip ") == (RateLimit(3, 900, "ip"),)
    assert parse_rate_limit("1/d/email") == (RateLimit(1, 86400, "email"),)
    assert parse_rate_limit("off") == ()
    assert parse_rate_limits("signup=10/h/ip; concern_submit = 5/h/email ;") == {
        "signup": "10/h/ip",
        "concern_submit": "5/h/email",
    }


@pytest.mark.parametrize(
    "spec", ["", "10", "10/h", "10/hour/ip", "0/h/ip", "-1/h/ip", "10/h/user", "10/0h/ip", "10/h/ip,", "10/h/IP", "on"]
)
def test_bad_rate_limit_specs_are_refused(spec):
    with pytest.raises(ImproperlyConfigured, match="bad rate limit"):
        parse_rate_limit(spec)


@pytest.mark.parametrize("value", ["signup", "signup=10/x/ip", "Bad-Scope=1/h/ip", "=1/h/ip"])
def test_bad_rate_limit_settings_are_refused(value):
    with pytest.raises(ImproperlyConfigured, match="bad rate limit"):
        parse_rate_limits(value)


def _import_settings(**env) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[3]
    return subprocess.run(
        [sys.executable, "-c", "import jcr.settings as s; print(s.JCR_RATE_LIMITS['signup'], s.JCR_UPLOAD_MAX_BYTES)"],
        cwd=root,
        env={**os.environ, "DJANGO_SECRET_KEY": "x", "DJANGO_DEBUG": "false", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_read_the_environment_and_stop_on_a_bad_value():
    ok = _import_settings(JCR_RATE_LIMITS="signup=4/h/ip", JCR_UPLOAD_MAX_BYTES="1000")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["4/h/ip", "1000"]
    bad = _import_settings(JCR_RATE_LIMITS="signup=4 per hour")
    assert bad.returncode != 0
    assert "ImproperlyConfigured: bad rate limit '4 per hour'" in bad.stderr
    bad = _import_settings(JCR_UPLOAD_MAX_PIXELS="0")
    assert "JCR_UPLOAD_MAX_PIXELS must be" in bad.stderr
