"""Access to the unit's confidential records, in pretix style: a decorator and a mixin.

Rules (issue 8, "Access and records"):

- Only people holding `integrity.access_records` (the JTI Staff and JTI Chief roles) see
  confidential records. Every other member of staff, supervisors of other units and the
  Bureau Chief included, gets 404, never 403: nothing tells them the record exists. Residents
  (signed in, not staff) get the staff area's usual 403.
- Conflict wall: a person listed on a wrongful-conviction claim as having worked the original
  case gets 404 for that claim even when they hold a JTI role, and for every post-conviction
  testing request and misconduct allegation on the same case number (the same conviction),
  with their evidence items, court orders, attachments, history steps, deadlines and audit
  entries (`wall_q`, used by the staff
  pages, the admin and `jcr.core.audit.audit_entries_visible_to`).
- Soft-deleted records answer 404 everywhere outside the admin.
- Every read, change and export is logged as a `jcr.core.AuditEntry` (the append-only history
  table, which a PostgreSQL trigger keeps from being rewritten): actions
  `integrity.record.view`, `integrity.record.change`, `integrity.record.export` with the
  record's type, public id and, for exports, the stated reason in `after`.
- Opening a confidential record or exporting needs a sign-in less than
  `REAUTH_AFTER_SECONDS` old: allauth keeps the times of this session's authentications
  (`get_authentication_records`); otherwise the person is sent to allauth's re-authentication
  page with `next=` back here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Trim, Upper
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse

from jcr.core.access import Access, user_is_staff, view_methods
from jcr.core.audit import audit_record
from jcr.core.models import AuditEntry

JTI_PERMISSION = "integrity.access_records"
EXPORT_PERMISSION = "integrity.export_records"
# Who walls people off from a wrongful-conviction claim, or lifts a wall: the JTI Chief.
WALL_PERMISSION = "integrity.manage_conflict_wall"
REAUTH_AFTER_SECONDS = 10 * 60

VIEW, CHANGE, EXPORT = "view", "change", "export"


def user_is_jti(user) -> bool:
    return user_is_staff(user) and user.has_perm(JTI_PERMISSION)


def check_jti(user, perm: str | None = None) -> None:
    """403 for anyone outside staff; 404 for staff without `perm` (by default the JTI
    permission; the export permission is held by the JTI Chief role only)."""
    if not user_is_staff(user):
        raise PermissionDenied
    if not user.has_perm(perm or JTI_PERMISSION):
        raise Http404


def recently_authenticated(request: HttpRequest, *, seconds: int = REAUTH_AFTER_SECONDS) -> bool:
    """Whether this session's latest authentication (password, code, second factor,
    re-authentication) is less than `seconds` old."""
    records = get_authentication_records(request, request.user)
    times = [r.get("at") for r in records if isinstance(r, dict) and isinstance(r.get("at"), int | float)]
    return bool(times) and time.time() - max(times) < seconds


def reauthenticate_redirect(request: HttpRequest, *, next_url: str | None = None) -> HttpResponseRedirect:
    """To allauth's re-authentication, then back to `next_url` (by default this page; a
    POST-only route names the page its form is on)."""
    query = urlencode({"next": next_url or request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('account_reauthenticate')}?{query}")


def record_access_log(*, user, obj: models.Model, action: str, reason: str = "") -> AuditEntry:
    """Log one view, change or export of a confidential record."""
    return audit_record(
        action=f"integrity.record.{action}",
        obj=obj,
        actor=user,
        after={"reason": reason} if reason else None,
    )


def record_export_log(*, user, model: type[models.Model], count: int, reason: str) -> AuditEntry:
    return audit_record(
        action=f"integrity.record.{EXPORT}",
        actor=user,
        object_type=model._meta.label_lower,
        object_id="",
        after={"reason": reason, "rows": count},
    )


def _walled_claims(user) -> QuerySet:
    from integrity.models_records import Claim

    return Claim.objects.filter(conflicted_users=user.pk)


def _walled_case(user, case_number_path: str) -> Exists:
    """Rows whose case number (at `case_number_path`) is the case of a claim `user` is
    walled from; case numbers compare without regard to case or surrounding spaces."""
    return Exists(
        _walled_claims(user)
        .annotate(walled_case=Upper(Trim("case_number")))
        .exclude(walled_case="")
        .filter(walled_case=Upper(Trim(OuterRef(case_number_path))))
    )


def wall_q(model: type[models.Model], user) -> Q | None:
    """The rows of `model` that `user` must never see because of a conflict wall (None when
    the wall does not concern the model): walled claims and what hangs off them, and the
    testing requests and allegations on a walled claim's case with what hangs off them."""
    from integrity import models_records as m

    if user is None or not getattr(user, "pk", None):
        return None
    claim_paths = {m.Claim: "", m.ClaimScreening: "claim__", m.ExternalReviewNote: "claim__"}
    case_paths = {
        m.TestingRequest: "",
        m.EvidenceItem: "request__",
        m.CourtOrder: "request__",
        m.Allegation: "",
        m.AllegationAttachment: "allegation__",
        m.CourtReferral: "allegation__",
    }
    if model in claim_paths:
        return Q(**{f"{claim_paths[model]}pk__in": _walled_claims(user).values("pk")})
    if model in case_paths:
        return Q(_walled_case(user, f"{case_paths[model]}case_number"))
    if model in (m.RecordStep, m.RecordDeadline):
        q = Q(record_type=m.Claim._meta.label_lower, record_id__in=_walled_claims(user).values("pk"))
        for record in (m.TestingRequest, m.Allegation):
            same_case = record.objects.filter(_walled_case(user, "case_number")).values("pk")
            q |= Q(record_type=record._meta.label_lower, record_id__in=same_case)
        return q
    return None


def wall_exclude(queryset: QuerySet, user) -> QuerySet:
    """`queryset` without the rows a conflict wall hides from `user`."""
    q = wall_q(queryset.model, user)
    return queryset if q is None else queryset.exclude(q)


def wall_hidden_keys(model: type[models.Model], user) -> QuerySet | None:
    """The audit object ids (public id, else pk) of the rows of `model` walled from `user`
    (None when the wall does not concern the model)."""
    q = wall_q(model, user)
    if q is None:
        return None
    key = "public_id" if any(f.name == "public_id" for f in model._meta.concrete_fields) else "pk"
    return model.objects.filter(q).annotate(audit_key=Cast(key, CharField())).values("audit_key")


def record_visible(*, user, record: models.Model) -> bool:
    """The object rule: not soft-deleted, and not behind a conflict wall for `user` (the
    claim's own wall, or the wall of a claim on the same case)."""
    if getattr(record, "is_deleted", False):
        return False
    q = wall_q(type(record), user)
    return q is None or not type(record).objects.filter(q, pk=record.pk).exists()


class ReauthenticationRequired(Exception):
    """Raised once the object rules have passed, when the sign-in is too old (caught by
    `jti_staff_required`, which answers with the redirect to re-authenticate)."""


def reauth_check(request: HttpRequest) -> None:
    if getattr(request, "jti_reauth", False) and not recently_authenticated(request):
        raise ReauthenticationRequired


def record_get(request: HttpRequest, queryset: models.QuerySet, *, public_id, log: str | None = VIEW):
    """The record with `public_id` if the signed-in JTI member may see it, else 404; then,
    on views declared with `reauth`, the recent sign-in check; logs the read (or `log`)
    unless `log` is None. The 404 comes first, so a walled-off person learns nothing."""
    record = queryset.filter(public_id=public_id, is_deleted=False).first()
    if record is None or not record_visible(user=request.user, record=record):
        raise Http404
    reauth_check(request)
    if log:
        record_access_log(user=request.user, obj=record, action=log)
    return record


def _declare(view: Callable, source: Callable, perm: str | None) -> None:
    """Declared as a confidential staff route: jcr.core.testing expects 404, not 403, from
    staff without the permission."""
    view.access = Access(
        Access.STAFF, permission=perm or JTI_PERMISSION, confidential=True, methods=view_methods(source)
    )


def jti_staff_required(perm: str | None = None, *, reauth: bool = False):
    """Decorator for confidential views: 403 for non-staff, 404 for staff outside JTI (or
    without `perm`); with `reauth`, a sign-in older than ten minutes sends the person to
    re-authenticate before a record is shown (checked by `record_get` after the object
    rules, or by `reauth_check` for views without a record, such as exports)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            check_jti(request.user, perm)
            request.jti_reauth = reauth
            try:
                return view(request, *args, **kwargs)
            except ReauthenticationRequired:
                return reauthenticate_redirect(request)

        _declare(wrapper, view, perm)
        return wrapper

    return decorator


class JTIStaffRequiredMixin:
    """The class-based twin of `jti_staff_required`: set `jti_permission` and `jti_reauth`."""

    jti_permission: str | None = None
    jti_reauth: bool = False

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        _declare(view, view, cls.jti_permission)
        return view

    def dispatch(self, request, *args, **kwargs):
        check_jti(request.user, self.jti_permission)
        request.jti_reauth = self.jti_reauth
        try:
            return super().dispatch(request, *args, **kwargs)
        except ReauthenticationRequired:
            return reauthenticate_redirect(request)

    def record_get(self, queryset, *, public_id, log: str | None = VIEW):
        return record_get(self.request, queryset, public_id=public_id, log=log)


class ConfidentialAdminMixin:
    """Django admin for confidential models: only JTI members see them (who also need the
    admin site itself); opening a record needs a recent sign-in, as on the staff pages; every
    change page opened is logged as a read and every save as a change; nothing is ever deleted
    here (soft delete is a field); the conflict wall holds."""

    requires_recent_login = True  # read by the authorization matrix (jcr.core.testing)

    def _jti(self, request) -> bool:
        return user_is_jti(request.user)

    def _reauth(self, request):
        if self._jti(request) and not recently_authenticated(request):
            return reauthenticate_redirect(request)
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._reauth(request) or super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._reauth(request) or super().history_view(request, object_id, extra_context)

    def has_module_permission(self, request):
        return self._jti(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._jti(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._jti(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._jti(request) and super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        request.confidential = True  # error reports keep no value (jcr.core.errors)
        return wall_exclude(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "GET":
            record_access_log(user=request.user, obj=obj, action=VIEW)
        return obj

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_access_log(user=request.user, obj=obj, action=CHANGE)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
