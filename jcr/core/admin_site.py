"""The administration site: sign-in through allauth (so the second factor and the lockout
apply), open only to administrators, and every change kept in the audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from jcr.core.audit import audit_record, diff, snapshot


class AuditedAdminMixin:
    """Write an AuditEntry (before/after) for every add, change and delete made in admin.

    A ModelAdmin whose saves and deletes go through services that audit them (roles included)
    sets `audited_by_services = True`, so each change is recorded once (read with getattr: the
    mixin comes first in the class order and must not hide the admin's own value)."""

    def save_model(self, request, obj, form, change):
        if getattr(self, "audited_by_services", False):
            return super().save_model(request, obj, form, change)
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        b, a = diff(before, after) if change else (None, after)
        audit_record(action=f"admin.{'change' if change else 'add'}", obj=obj, actor=request.user, before=b, after=a)

    def delete_model(self, request, obj):
        if getattr(self, "audited_by_services", False):
            return super().delete_model(request, obj)
        audit_record(action="admin.delete", obj=obj, actor=request.user, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if getattr(self, "audited_by_services", False):
            return super().delete_queryset(request, queryset)
        for obj in queryset:
            audit_record(action="admin.delete", obj=obj, actor=request.user, before=snapshot(obj))
        super().delete_queryset(request, queryset)


class JCRAdminSite(admin.AdminSite):
    site_header = _("JCR Portal administration")
    site_title = _("JCR Portal administration")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and (user.is_superuser or user.has_perm("accounts.access_admin_site"))
        )

    # Marked like Django's own AdminSite.login: without it LoginRequiredMiddleware would answer
    # first and send people to sign in with next=/admin/login/?next=... instead.
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Admin sign-in is the portal's sign-in (allauth), second factor and lockout included."""
        next_url = self._next_url(request)
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return redirect(next_url)
        return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    @staticmethod
    def _next_url(request) -> str:
        """Where to go after signing in: `next` when it is a page of this site, else the admin
        index (never another host, nor a `javascript:` address)."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return next_url
        return reverse("admin:index")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapped(request, *args, **kwargs):
            # A signed-in person who is not an administrator gets 403, not the admin login form.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        wrapped.__dict__.update(inner.__dict__)
        return wrapped

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__, (AuditedAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)
