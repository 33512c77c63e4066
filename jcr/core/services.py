"""Writes of the shared platform: e-mail queueing and sending, areas."""

from __future__ import annotations

import logging
import smtplib
import socket

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jcr.core import work
from jcr.core.audit import audit_record, confidential_permission, object_key
from jcr.core.models import OutboundEmail

log = logging.getLogger(__name__)
TEXT_ENGINE = "text"  # settings.TEMPLATES: the engine without autoescaping


def render_email(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render templates/email/<template>.{subject.txt,txt,html} in `language`.

    Returns (subject, text, html); html is "" when the template has no HTML part. The subject
    and text part are rendered by the "text" template engine (no HTML escaping), the HTML part
    by the default one. Links start with `site_url` (settings.SITE_URL, JCR_SITE_URL).
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{template}.subject.txt", context, using=TEXT_ENGINE).split())
        text = render_to_string(f"email/{template}.txt", context, using=TEXT_ENGINE)
        try:
            html = render_to_string(f"email/{template}.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = ""
    return subject, text, html


def email_message_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "en",
    template: str = "",
    related: models.Model | None = None,
    headers: dict[str, str] | None = None,
    confidential: bool | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboundEmail:
    """Write an already-rendered e-mail row and send it after commit (see `email_queue`).
    `headers` are extra message headers (name to value), e.g. List-Unsubscribe. The row is
    `confidential` (masked in admin, kept out of logs) when `related` is a confidential
    record, or when the caller says so. `attachments` are text files sent with the message:
    dicts of filename, content (str) and mimetype, e.g. an event's .ics."""
    email = OutboundEmail(
        to=to.strip(),
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        template=template[:120],
        related_type=related._meta.label_lower if related is not None else "",
        related_id=object_key(related) if related is not None else "",
        headers={str(k): str(v) for k, v in (headers or {}).items()},
        confidential=bool(confidential) or bool(confidential_permission(related)),
        attachments=[
            {"filename": a["filename"], "content": a["content"], "mimetype": a["mimetype"]} for a in attachments or ()
        ],
    )
    email.full_clean()
    email.save()
    work.enqueue_on_commit("jcr.core.outbound_email_send", OutboundEmail, email.pk, id_kwarg="email_id")
    return email


def email_queue(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    language: str = "en",
    related: models.Model | None = None,
    headers: dict[str, str] | None = None,
    confidential: bool | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboundEmail:
    """Write an e-mail row in the caller's transaction and send it after commit.

    Delivery: at least once. A worker that dies mid-send leaves the row in flight; the sweep
    puts it back after STUCK_AFTER, so a rare duplicate is possible, a loss is not.
    """
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    subject, text, html = render_email(template=template, context=context or {}, language=language)
    return email_message_queue(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        template=template,
        related=related,
        headers=headers,
        confidential=confidential,
        attachments=attachments,
    )


TRANSIENT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, socket.timeout, ConnectionError, OSError)


def outbound_email_send(*, email_id: int) -> str | None:
    """Claim and send one e-mail. Returns its new status, or None if it was not ours."""
    email = work.claim(OutboundEmail, email_id)
    if email is None:
        return None
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers or None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        # The server's answer repeats the address: a confidential row keeps only the kind.
        detail = "" if email.confidential else f": {exc}"
        return work.retry_or_fail(email, error=f"recipient refused{detail}", permanent=True)
    except (smtplib.SMTPException, *TRANSIENT_ERRORS) as exc:
        detail = type(exc).__name__ if email.confidential else f"{type(exc).__name__}: {exc}"
        log.warning("e-mail %s not sent: %s", email.pk, detail)
        return work.retry_or_fail(email, error=detail)
    work.complete(email, sent_at=timezone.now())
    return OutboundEmail.Status.DONE


@transaction.atomic
def outbound_email_retry(*, email: OutboundEmail, actor) -> OutboundEmail:
    """Put a failed e-mail back in the queue (admin action)."""
    if email.status not in (OutboundEmail.Status.FAILED, OutboundEmail.Status.CANCELLED):
        raise ValidationError("Only failed or cancelled e-mails can be retried.")
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.PENDING, due_at=timezone.now(), attempts=0, enqueued_at=None
    )
    audit_record(action="core.outbound_email.retry", obj=email, actor=actor, before={"status": email.status})
    work.enqueue_on_commit("jcr.core.outbound_email_send", OutboundEmail, email.pk, id_kwarg="email_id")
    email.refresh_from_db()
    return email
