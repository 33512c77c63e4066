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
- Every read is logged as a `jcr.core.AuditEntry` (the append-only history table, which a
  PostgreSQL trigger keeps from being rewritten), with who, when and the client address:
  `integrity.record.view` (one record opened, or an attachment downloaded),
  `integrity.record.list` (a list, a search or a by-case view: the route, the filters or the
  query, and how many rows were shown), `integrity.record.export` (with the stated reason and
  the row count), `integrity.record.lookup` (a prosecutor's officer lookup in the disclosure
  index: what was asked and the yes/no answer, never the entry); changes are
  `integrity.record.change`.
- Every refused attempt that reaches a confidential view is logged as
  `integrity.record.denied`, with the reason (`permission`: outside JTI or without the
  route's permission; `walled`: behind the conflict wall; `not_found`: no such record, or
  soft-deleted; `reauth`: the sign-in is too old), the route and, when known, the record. The
  person still gets the plain 403/404, so nothing tells them the record exists; the entry is
  written in the request's own transaction, which commits because the decorator answers
  with the error page rather than letting the exception roll the request back.
- Every read of a confidential route (a GET, and HEAD where the route allows it) needs a
  sign-in less than `REAUTH_AFTER_SECONDS` old: allauth keeps the times of this session's
  authentications (`get_authentication_records`); otherwise the person is sent to allauth's
  re-authentication page with `next=` back here. Pages without a record are checked before
  the view runs; record pages are checked by `record_get` after the object rules (a walled
  person gets 404, never the re-authentication page), and a read that loaded no record
  through `record_get` is checked after the view, before its response is sent. Changes
  declared with `reauth` (exports, the conflict wall, retention) need it as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.db import models, transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Trim, Upper
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from integrity.records import models as m
from jcr.core.access import Access, user_is_staff, view_methods
from jcr.core.audit import audit_record
from jcr.core.models import AuditEntry

JTI_PERMISSION = "integrity.access_records"
EXPORT_PERMISSION = "integrity.export_records"
# Who reads the access log of the confidential records: the JTI Chief.
ACCESS_LOG_PERMISSION = "integrity.view_access_log"
# Who walls people off from a wrongful-conviction claim, or lifts a wall: the JTI Chief.
WALL_PERMISSION = "integrity.manage_conflict_wall"
REAUTH_AFTER_SECONDS = 10 * 60

VIEW, CHANGE, EXPORT, LIST, DENIED = "view", "change", "export", "list", "denied"
# A prosecutor's officer lookup in the disclosure index (what was asked and the yes/no answer).
LOOKUP = "lookup"
# Who may ask whether an officer has a disclosure index entry (prosecutors and JTI).
LOOKUP_PERMISSION = "integrity.lookup_disclosure_index"
# Why an attempt was refused (the `reason` of an `integrity.record.denied` entry).
DENIED_PERMISSION, DENIED_WALLED, DENIED_NOT_FOUND, DENIED_REAUTH = "permission", "walled", "not_found", "reauth"
READ_METHODS = ("GET", "HEAD")
# The kind of record a route is about, from the first word of its URL name (for refusals
# that happen before any record is looked up).
ROUTE_RECORD_TYPES = {
    "allegation": "integrity.allegation",
    "claim": "integrity.claim",
    "testing": "integrity.testingrequest",
    "disclosure": "integrity.disclosureentry",
}


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


# The audit action of an export of confidential records (jcr.core.exports.csv_export writes it,
# with the row count and the stated reason); the access log lists it with the reads.
EXPORT_ACTION = f"integrity.record.{EXPORT}"


def _walled_claims(user) -> QuerySet:
    return m.Claim.objects.filter(conflicted_users=user.pk)


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
    if user is None or not getattr(user, "pk", None):
        return None
    claim_paths = {
        m.Claim: "",
        m.ClaimScreening: "claim__",
        m.ExternalReviewNote: "claim__",
        m.ClaimWallChange: "claim__",
    }
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


def record_list_log(
    request: HttpRequest, *, model: type[models.Model] | str | None, count: int, filters: dict | None = None
) -> AuditEntry:
    """Log one read of a list, a search or a by-case view: the route, the filters or query
    that were applied (empty ones left out) and how many rows were shown. `model` is the kind
    of record listed (a model or its label; None for pages that list several kinds)."""
    match = request.resolver_match
    if model is not None and not isinstance(model, str):
        model = model._meta.label_lower
    return audit_record(
        action=f"integrity.record.{LIST}",
        actor=request.user,
        object_type=model or "",
        object_id="",
        after={
            "route": match.view_name if match else request.path,
            "filters": {k: v for k, v in (filters or {}).items() if v not in ("", None, False)},
            "rows": count,
        },
    )


def _route_record_type(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    kind = match.kwargs.get("kind") or (match.url_name or "").split("_", 1)[0]
    return ROUTE_RECORD_TYPES.get(kind, "")


def record_denied_log(request: HttpRequest, *, reason: str) -> AuditEntry:
    """Log one refused attempt: who (if signed in), what (the route, the record if one was
    named) and, through the request context, from which address. Never the record's text."""
    match = request.resolver_match
    object_type, object_id = getattr(request, "jti_target", ("", ""))
    if not object_id and match is not None and match.kwargs.get("public_id"):
        object_id = str(match.kwargs["public_id"])
    return audit_record(
        action=f"integrity.record.{DENIED}",
        actor=request.user,
        object_type=object_type or _route_record_type(request),
        object_id=object_id,
        after={"reason": reason, "route": match.view_name if match else request.path, "method": request.method},
    )


def record_visible(*, user, record: models.Model) -> bool:
    """The object rule: not soft-deleted, and not behind a conflict wall for `user` (the
    claim's own wall, or the wall of a claim on the same case)."""
    if getattr(record, "is_deleted", False):
        return False
    q = wall_q(type(record), user)
    return q is None or not type(record).objects.filter(q, pk=record.pk).exists()


class ReauthenticationRequired(Exception):
    """Raised when the sign-in is too old (caught by `jti_staff_required`, which logs the
    refusal and answers with the redirect to re-authenticate, then back to `next_url`)."""

    def __init__(self, next_url: str | None = None):
        super().__init__(next_url)
        self.next_url = next_url


def reauth_check(request: HttpRequest) -> None:
    """On a read, or on a change declared with `reauth`: refuse a sign-in that is too old."""
    if getattr(request, "jti_reauth", False):
        request.jti_reauth_checked = True
        if not recently_authenticated(request):
            raise ReauthenticationRequired


def require_recent_sign_in(request: HttpRequest, *, next_url: str | None = None) -> None:
    """For a change that always needs a recent sign-in (a POST-only route names the page its
    form is on as `next_url`)."""
    if not recently_authenticated(request):
        raise ReauthenticationRequired(next_url)


def record_get(request: HttpRequest, queryset: models.QuerySet, *, public_id, log: str | None = VIEW):
    """The record with `public_id` if the signed-in JTI member may see it, else 404; then,
    on a read (or a change declared with `reauth`), the recent sign-in check; logs the read
    (or `log`) unless `log` is None. The 404 comes first, so a walled-off person learns
    nothing."""
    request.jti_target = (queryset.model._meta.label_lower, str(public_id))
    record = queryset.filter(public_id=public_id, is_deleted=False).first()
    if record is None:
        request.jti_denied = DENIED_NOT_FOUND
        raise Http404
    if not record_visible(user=request.user, record=record):
        request.jti_denied = DENIED_WALLED
        raise Http404
    reauth_check(request)
    if log:
        record_access_log(user=request.user, obj=record, action=log)
    return record


def _declare(view: Callable, source: Callable, perm: str | None) -> None:
    """Declared as a confidential staff route: tests.support expects 404, not 403, from
    staff without the permission."""
    view.access = Access(
        Access.STAFF, permission=perm or JTI_PERMISSION, confidential=True, methods=view_methods(source)
    )


def _guarded(request: HttpRequest, call: Callable[[], HttpResponse], *, perm, reauth, methods, kwargs):
    """The one gate of every confidential view: the role check, the recent sign-in on reads
    (see the module docstring for the order), and a log entry for every refusal."""
    is_read = request.method in READ_METHODS and (methods is None or request.method in methods)
    request.jti_reauth = reauth or is_read
    request.jti_reauth_checked = False
    try:
        try:
            check_jti(request.user, perm)
        except (PermissionDenied, Http404):
            request.jti_denied = DENIED_PERMISSION
            raise
        if is_read and "public_id" not in kwargs:
            reauth_check(request)
        # A savepoint: whatever the view wrote is undone when it ends in a refusal, as the
        # request's own transaction would have done, while the refusal's entry is kept.
        with transaction.atomic():
            response = call()
            if is_read and not request.jti_reauth_checked:
                # A read that opened no record through record_get: its page is not sent before the check.
                reauth_check(request)
        return response
    except ReauthenticationRequired as exc:
        record_denied_log(request, reason=DENIED_REAUTH)
        return reauthenticate_redirect(request, next_url=exc.next_url)
    except (PermissionDenied, Http404) as exc:
        # Answer with the error page here, so that the request's transaction (ATOMIC_REQUESTS)
        # commits the log entry instead of rolling it back with the exception.
        record_denied_log(request, reason=getattr(request, "jti_denied", DENIED_NOT_FOUND))
        return response_for_exception(request, exc)


def jti_staff_required(perm: str | None = None, *, reauth: bool = False):
    """Decorator for confidential views: 403 for non-staff, 404 for staff outside JTI (or
    without `perm`); every read (GET) needs a sign-in less than ten minutes old; with
    `reauth`, other methods too (checked by `record_get` after the object rules, or by
    `reauth_check` for views without a record, such as exports). Refusals are logged."""

    def decorator(view: Callable) -> Callable:
        methods = view_methods(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            return _guarded(
                request,
                lambda: view(request, *args, **kwargs),
                perm=perm,
                reauth=reauth,
                methods=methods,
                kwargs=kwargs,
            )

        _declare(wrapper, view, perm)
        wrapper.jti_guarded = True
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
        view.jti_guarded = True
        return view

    def dispatch(self, request, *args, **kwargs):
        return _guarded(
            request,
            lambda: super(JTIStaffRequiredMixin, self).dispatch(request, *args, **kwargs),
            perm=self.jti_permission,
            reauth=self.jti_reauth,
            methods=tuple(m.upper() for m in self.http_method_names),
            kwargs=kwargs,
        )

    def record_get(self, queryset, *, public_id, log: str | None = VIEW):
        return record_get(self.request, queryset, public_id=public_id, log=log)


class ConfidentialAdminMixin:
    """Django admin for confidential models: only JTI members see them (who also need the
    admin site itself); opening a record or a list needs a recent sign-in, as on the staff
    pages; every change page opened is logged as a read, every list as a list read and every
    save as a change; nothing is ever deleted here (soft delete is a field); the conflict wall
    holds."""

    requires_recent_login = True  # read by the authorization matrix (tests.support)

    def _jti(self, request) -> bool:
        return user_is_jti(request.user)

    def _reauth(self, request):
        if self._jti(request) and not recently_authenticated(request):
            request.jti_target = (self.model._meta.label_lower, "")
            record_denied_log(request, reason=DENIED_REAUTH)
            return reauthenticate_redirect(request)
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._reauth(request) or super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._reauth(request) or super().history_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        """A list and a search like the staff pages': a recent sign-in, and each read logged
        with its search and filters and the number of rows found."""
        refused = self._reauth(request)
        if refused:
            return refused
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None:
            record_list_log(
                request,
                model=self.model,
                count=changelist.result_count,
                filters={k: v for k, v in request.GET.items() if k not in ("o", "p")},
            )
        return response

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
