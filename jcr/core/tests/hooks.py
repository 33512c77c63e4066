"""Quality-gate hooks of the platform (see tests.support.hook_modules): URL samples for
the admin's parametrized routes, and private markers in the audit trail and e-mail queue."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from jcr.core.models import Area, AuditEntry, OutboundEmail
from tests.support import Route, Sample, _admin_model


def _admin_rows_ensure() -> None:
    """One row for each registered model the personas do not already create, so the admin's
    object pages (change, delete, history) have something to open."""
    from allauth.usersessions.models import UserSession
    from django.utils import timezone
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from jcr.accounts.models import AccountLock, LoginFailure
    from jcr.core.tests.factories import OutboundEmailFactory

    if not AccountLock.objects.exists():
        AccountLock.objects.create(email="locked@example.org")
    if not LoginFailure.objects.exists():
        LoginFailure.objects.create(email="locked@example.org", kind=LoginFailure.Kind.PASSWORD)
    if not AuditEntry.objects.exists():
        AuditEntry.objects.create(action="test.sample", object_type="core.area")
    if not OutboundEmail.objects.exists():
        OutboundEmailFactory()
    if not UserSession.objects.exists():
        UserSession.objects.create(
            user=_any_user(),
            ip="192.0.2.1",
            session_key="sample-session",
            user_agent="test",
            last_seen_at=timezone.now(),
        )
    if not ClockedSchedule.objects.exists():
        ClockedSchedule.objects.create(clocked_time=timezone.now())
    if not CrontabSchedule.objects.exists():
        CrontabSchedule.objects.create(minute="0", hour="3")
    if not SolarSchedule.objects.exists():
        SolarSchedule.objects.create(event="sunrise", latitude=38.5, longitude=-121.5)
    interval = IntervalSchedule.objects.first() or IntervalSchedule.objects.create(every=5, period="minutes")
    if not PeriodicTask.objects.exists():
        PeriodicTask.objects.create(name="sample", task="jcr.sample", interval=interval)
    # Each app's own admin rows: `admin_rows_ensure()` in its tests/hooks.py.
    from tests.support import hook_modules

    for module in hook_modules():
        ensure = getattr(module, "admin_rows_ensure", None)
        if ensure is not None:
            ensure()


def _any_user():
    from jcr.accounts.models import User

    return User.objects.order_by("pk").first()


def admin_object_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """The first row of the route's model (change, delete, history, "<id>/" redirect)."""
    model_admin = _admin_model(route)
    if model_admin is None:  # a site page whose name only looks alike (admin:password_change)
        return Sample()
    obj = model_admin.model._default_manager.order_by("pk").first()
    if obj is None:
        _admin_rows_ensure()
        obj = model_admin.model._default_manager.order_by("pk").first()
    assert obj is not None, f"{route}: no {model_admin.model._meta.label} row; create one in _admin_rows_ensure"
    return Sample(kwargs={"object_id": obj.pk})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        # No worker or beat runs in the tests, so readiness is 503 for everyone.
        "healthz_ready": lambda p, r: Sample(ok=503),
        "admin:*_change": admin_object_sample,
        "admin:*_delete": admin_object_sample,
        "admin:*_history": admin_object_sample,
        "admin:django.views.generic.base.RedirectView": admin_object_sample,
        "admin:auth_user_password_change": lambda p, r: Sample(kwargs={"id": p["resident_user"].pk}),
        "admin:app_list": lambda p, r: Sample(kwargs={"app_label": "core"}),
        # No registered model has get_absolute_url, so "view on site" has nowhere to go: 404.
        "admin:view_on_site": lambda p, r: Sample(
            kwargs={
                "content_type_id": ContentType.objects.get_for_model(Area).pk,
                "object_id": Area.objects.order_by("pk").first().pk,
            },
            ok=404,
        ),
        "admin:django.contrib.admin.sites.catch_all_view": lambda p, r: Sample(kwargs={"url": "no-such-page/"}, ok=404),
        # The address suggestions of every address input (JSON, the demo geocoder in tests).
        "core:geocode_suggest": lambda p, r: Sample(query="q=1200+J+St"),
        # The search behind the person picker on an area's assignments (JSON for administrators).
        "admin:autocomplete": lambda p, r: Sample(query="app_label=core&model_name=areaassignment&field_name=user"),
    }


def seed_private_markers(*, personas: Mapping[str, object], marker: Callable[[str], str]) -> list[str]:
    """History before/after values and queued e-mails hold residents' details."""
    from jcr.core.tests.factories import OutboundEmailFactory

    before, after, subject, text, html, to = (
        marker("auditbefore"),
        marker("auditafter"),
        marker("mailsubject"),
        marker("mailtext"),
        marker("mailhtml"),
        marker("mailto"),
    )
    AuditEntry.objects.create(
        action="test.private",
        object_type="accounts.user",
        object_id="1",
        object_repr="someone",
        before={"phone": before},
        after={"phone": after},
    )
    OutboundEmailFactory(to=f"{to}@example.org", subject=subject, body_text=text, body_html=f"<p>{html}</p>")
    assert admin.site.is_registered(AuditEntry)
    return [before, after, subject, text, html, to]
