"""Error reports leave the server without a resident's or a confidential record's data."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from jcr.core.context import RequestContext, current
from jcr.core.sentry import scrub_event, sentry_configure

SECRET = "informant named in the complaint"


def _event() -> dict:
    return {
        "message": "Could not send to resident@example.com",
        "logentry": {"message": "Could not send to %s", "params": ["resident@example.com"]},
        "request": {
            "method": "POST",
            "url": "https://portal.example/report/?email=resident@example.com",
            "query_string": "email=resident@example.com",
            "data": {"email": "resident@example.com", "narrative": SECRET},
            "cookies": {"__Host-sessionid": "abc123session"},
            "headers": {
                "Cookie": "__Host-sessionid=abc123session",
                "Authorization": "Bearer token-xyz",
                "User-Agent": "Firefox",
                "X-Forwarded-For": "203.0.113.9",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"id": 7, "email": "resident@example.com", "ip_address": "203.0.113.9"},
        "extra": {"celery-job": {"kwargs": {"narrative": SECRET}}},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "bad address resident@example.com",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "prosecution/misconduct/services.py",
                                "function": "submit",
                                "lineno": 12,
                                "vars": {"narrative": SECRET, "email": "resident@example.com"},
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {
            "values": [{"category": "query", "message": "SELECT 1", "data": {"params": [SECRET]}}],
        },
    }


def test_the_scrubber_removes_everything_personal_or_confidential():
    token = current.set(RequestContext(request_id="req-0123456789"))
    try:
        event = scrub_event(_event(), {})
    finally:
        current.reset(token)
    text = json.dumps(event)
    for leaked in ("resident@example.com", SECRET, "abc123session", "token-xyz", "203.0.113.9", "email="):
        assert leaked not in text
    assert event["request"] == {
        "method": "POST",
        "url": "https://portal.example/report/",
        "headers": {"User-Agent": "Firefox"},
    }
    assert event["user"] == {"id": 7}
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame == {"filename": "prosecution/misconduct/services.py", "function": "submit", "lineno": 12}
    assert event["message"] == "Could not send to [email]"
    assert event["tags"] == {"request_id": "req-0123456789"}


@pytest.mark.parametrize("dsn", ["", "https://key@errors.example/1"])
def test_sentry_starts_only_with_a_dsn(dsn):
    init = mock.Mock()
    started = sentry_configure(dsn=dsn, environment="production", release="1.2", traces_sample_rate=0.0, init=init)
    assert started is bool(dsn)
    if not dsn:
        init.assert_not_called()
        return
    options = init.call_args.kwargs
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    assert options["before_send"] is scrub_event
    assert (options["environment"], options["release"], options["traces_sample_rate"]) == ("production", "1.2", 0.0)
    assert {type(i).__name__ for i in options["integrations"]} == {"DjangoIntegration", "CeleryIntegration"}
