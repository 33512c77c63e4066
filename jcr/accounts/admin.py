from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jcr.accounts import services
from jcr.accounts.forms import StaffInviteForm
from jcr.accounts.models import AccountLock, LoginFailure, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "invited_at", "public_id"]
    fieldsets = [
        (None, {"fields": ["email", "password", "public_id"]}),
        (_("Person"), {"fields": ["full_name", "title", "phone", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "invited_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    actions = ["deactivate"]
    change_list_template = "admin/accounts/user/change_list.html"

    def get_urls(self):
        return [
            path("invite/", self.admin_site.admin_view(self.invite_view), name="accounts_user_invite"),
            *super().get_urls(),
        ]

    def invite_view(self, request):
        if not request.user.has_perm("accounts.invite_staff"):
            raise PermissionDenied
        form = StaffInviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.staff_invite(
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    groups=list(form.cleaned_data["groups"]),
                    actor=request.user,
                    language=form.cleaned_data["language"],
                )
            except ValidationError as exc:
                form.add_error("email", exc)
            else:
                self.message_user(request, _("Invitation sent to %(email)s.") % {"email": user.email}, messages.SUCCESS)
                return redirect("admin:accounts_user_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Invite a staff member"),
            "opts": self.model._meta,
        }
        return render(request, "admin/accounts/user/invite.html", context)

    def save_model(self, request, obj, form, change):
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            services.user_sessions_end(user=obj)

    @admin.action(description=_("Deactivate the selected people and end their sessions"), permissions=["change"])
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            services.user_deactivate(user=user, actor=request.user)
        self.message_user(request, _("Deactivated."), messages.SUCCESS)


class AccountLockActiveFilter(admin.SimpleListFilter):
    title = pgettext_lazy("account lock", "state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", pgettext_lazy("account lock", "Locked now")),
            ("ended", pgettext_lazy("account lock", "Ended")),
        ]

    def queryset(self, request, queryset):
        active = Q(unlocked_at__isnull=True, expires_at__gt=timezone.now())
        if self.value() == "active":
            return queryset.filter(active)
        if self.value() == "ended":
            return queryset.exclude(active)
        return queryset


@admin.register(AccountLock)
class AccountLockAdmin(admin.ModelAdmin):
    list_display = ["email", "locked_at", "expires_at", "state", "ip", "unlocked_by"]
    list_filter = [AccountLockActiveFilter]
    search_fields = ["email"]
    readonly_fields = ["email", "locked_at", "expires_at", "ip", "unlocked_at", "unlocked_by"]
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_unlock_permission(self, request):
        return request.user.has_perm("accounts.unlock_account")

    @admin.display(description=pgettext_lazy("account lock", "state"))
    def state(self, obj):
        if obj.is_active:
            return pgettext_lazy("account lock", "Locked")
        if obj.unlocked_by_id or (obj.unlocked_at and obj.unlocked_at != obj.expires_at):
            return pgettext_lazy("account lock", "Unlocked")
        return pgettext_lazy("account lock", "Expired")

    @admin.action(description=_("Unlock the selected accounts"), permissions=["unlock"])
    def unlock(self, request, queryset):
        for lock in queryset.filter(unlocked_at__isnull=True, expires_at__gt=timezone.now()):
            services.account_unlock(lock=lock, actor=request.user)
        self.message_user(request, _("Unlocked."), messages.SUCCESS)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["at", "email", "kind", "ip"]
    list_filter = ["kind"]
    search_fields = ["email", "ip"]
    readonly_fields = ["email", "kind", "at", "ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
