"""Every log line of the web and the worker names the request that caused it."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from jcr.core import logs
from jcr.core.context import RequestContext, current
from jcr.core.middleware import RequestContextMiddleware


def _logger(fmt: str) -> tuple[logging.Logger, io.StringIO]:
    """A logger writing through the handler LOGGING configures (same filter and formatter)."""
    config = logs.logging_config(fmt=fmt, level="INFO")
    configurator = logging.config.DictConfigurator(config)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(configurator.configure_formatter(dict(config["formatters"][fmt])))
    handler.addFilter(configurator.configure_filter(dict(config["filters"]["request_id"])))
    logger = logging.getLogger(f"jcr.tests.logs.{fmt}")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger, buffer


def _last_json(buffer: io.StringIO) -> dict:
    return json.loads(buffer.getvalue().strip().splitlines()[-1])


@pytest.mark.parametrize("fmt", ["json", "plain"])
def test_a_line_carries_the_request_and_task_ids(fmt):
    logger, buffer = _logger(fmt)
    request_token = current.set(RequestContext(request_id="req-0123456789"))
    task_token = logs.task_current.set(("task-42", "jcr.core.ping"))
    try:
        logger.info("sent %s", "it")
    finally:
        logs.task_current.reset(task_token)
        current.reset(request_token)
    line = buffer.getvalue()
    if fmt == "json":
        record = _last_json(buffer)
        assert record["message"] == "sent it"
        assert record["level"] == "INFO"
        assert "task_label" not in record
        assert (record["request_id"], record["task_id"], record["task_name"]) == (
            "req-0123456789",
            "task-42",
            "jcr.core.ping",
        )
    else:
        assert "[req-0123456789 jcr.core.ping[task-42]] sent it" in line


@pytest.mark.parametrize(("proxies", "kept"), [(0, False), (1, True)])
def test_the_middleware_trusts_an_inbound_id_only_behind_trusted_proxies(settings, proxies, kept):
    settings.JCR_TRUSTED_PROXIES = proxies
    logger, buffer = _logger("json")

    def view(request):
        logger.warning("inside the request")
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="lb-abcdef123456")
    response = RequestContextMiddleware(view)(request)

    logged = _last_json(buffer)["request_id"]
    assert logged == response["X-Request-ID"]
    assert (logged == "lb-abcdef123456") is kept
    if not kept:
        assert len(logged) == 32  # a fresh uuid4
    assert current.get().request_id == ""  # nothing left behind for the next request


def test_a_task_enqueued_in_a_request_logs_under_that_request_id():
    logger, buffer = _logger("json")
    headers: dict = {}
    token = current.set(RequestContext(request_id="req-from-web-01"))
    try:
        logs.on_before_task_publish(sender="jcr.core.outbound_email_send", headers=headers)
    finally:
        current.reset(token)
    assert headers == {logs.REQUEST_ID_HEADER: "req-from-web-01"}

    # In the worker: Celery puts the message's custom headers on the task request.
    task = SimpleNamespace(name="jcr.core.outbound_email_send", request=SimpleNamespace(**headers))
    logs.on_task_prerun(task_id="t-1", task=task)
    logger.info("sending")
    logs.on_task_postrun(task_id="t-1", task=task)
    logger.info("idle")

    during, after = (json.loads(line) for line in buffer.getvalue().strip().splitlines()[-2:])
    assert (during["request_id"], during["task_id"], during["task_name"]) == (
        "req-from-web-01",
        "t-1",
        "jcr.core.outbound_email_send",
    )
    assert (after["request_id"], after["task_id"]) == ("-", "")


def test_an_unknown_log_format_stops_start_up():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        logs.logging_config(fmt="xml", level="INFO")
