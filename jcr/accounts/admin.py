import importlib

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from jcr.accounts import selectors, services, services_access, services_invitations
from jcr.accounts.forms import StaffInviteForm
from jcr.accounts.models import AccountLock, LoginFailure, RoleGrant, User


class UserAdminForm(UserChangeForm):
    """The person form: the access rules of jcr.accounts.services_access, checked here for a
    clear message and again by the service that saves."""

    actor = None  # set by UserAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        try:
            services_access.user_access_check(
                actor=self.actor,
                user=self.instance,
                is_superuser=cleaned.get("is_superuser") if "is_superuser" in self.fields else None,
                groups=cleaned.get("groups") if "groups" in self.fields else None,
                user_permissions=cleaned.get("user_permissions") if "user_permissions" in self.fields else None,
                email=cleaned.get("email") if "email" in self.changed_data else None,
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc) or _("You may not make this change.")) from exc
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    audited_by_services = True  # jcr.accounts.services_access audits each change
    form = UserAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "invited_at", "public_id"]
    # No password here, for anyone: nobody sets another person's password (they are sent a
    # link), and people change their own under their account settings.
    fieldsets = [
        (None, {"fields": ["email", "public_id"]}),
        (_("Person"), {"fields": ["full_name", "title", "phone", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "invited_at"]}),
    ]
    actions = ["deactivate", "send_password_reset"]
    change_list_template = "admin/accounts/user/change_list.html"

    def get_urls(self):
        # Django's UserAdmin adds "<id>/password/" (set someone's password): left out on purpose.
        return [
            path("invite/", self.admin_site.admin_view(self.invite_view), name="accounts_user_invite"),
            *admin.ModelAdmin.get_urls(self),
        ]

    def get_fieldsets(self, request, obj=None):
        # One form for every case: Django's "add" form (a typed password) is never used.
        fieldsets = self.fieldsets
        if request.user.is_superuser:
            return fieldsets
        # Only superusers change superuser status and a person's own permissions.
        hidden = {"is_superuser", "user_permissions"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def get_form(self, request, obj=None, **kwargs):
        # ModelAdmin's, not UserAdmin's: the latter switches to the password form when adding.
        form = admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # read-only: only a superuser changes a superuser
        return super().has_change_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        # People join by invitation (they choose their own password), never by a password
        # typed by someone else.
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:accounts_user_invite")

    def invite_view(self, request):
        if not request.user.has_perm("accounts.invite_staff"):
            raise PermissionDenied
        form = StaffInviteForm(request.POST or None, actor=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                user = services_invitations.staff_invite(
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    groups=list(form.cleaned_data["groups"]),
                    actor=request.user,
                    language=form.cleaned_data["language"],
                )
            except ValidationError as exc:
                form.add_error("email", exc)
            except PermissionDenied as exc:
                form.add_error("groups", str(exc))
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
        # Saved with its roles by save_related, through the service that checks and audits.
        pass

    def save_related(self, request, form, formsets, change):
        m2m = {"groups", "user_permissions"}
        services_access.user_update(
            actor=request.user,
            user=form.instance,
            fields={name: form.cleaned_data[name] for name in form.changed_data if name not in m2m},
            groups=form.cleaned_data["groups"] if "groups" in form.fields else None,
            user_permissions=form.cleaned_data["user_permissions"] if "user_permissions" in form.fields else None,
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Deactivate the selected people and end their sessions"), permissions=["change"])
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            try:
                services.user_deactivate(user=user, actor=request.user)
            except PermissionDenied as exc:
                self.message_user(request, f"{user}: {exc}", messages.ERROR)
        self.message_user(request, _("Deactivated."), messages.SUCCESS)

    @admin.action(description=_("Send a password reset link"), permissions=["change"])
    def send_password_reset(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                services_access.password_reset_send(actor=request.user, user=user)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{user}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "A link to choose a new password was e-mailed to %(count)d person.",
                    "A link to choose a new password was e-mailed to %(count)d people.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )


importlib.import_module("django.contrib.auth.admin")
admin.site.unregister(Group)


class GroupAdminForm(forms.ModelForm):
    actor = None  # set by GroupAdmin.get_form

    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def clean(self):
        cleaned = super().clean()
        if "permissions" in cleaned:
            try:
                services_access.group_permissions_check(
                    actor=self.actor,
                    group=self.instance if self.instance.pk else None,
                    permissions=cleaned["permissions"],
                )
            except PermissionDenied as exc:
                self.add_error("permissions", str(exc))
        return cleaned


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Roles: nobody adds to or removes from a role a permission they do not hold themselves;
    every change is audited with its before and after."""

    audited_by_services = True  # jcr.accounts.services_access audits each change

    form = GroupAdminForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        if obj is not None and selectors.actor_lacks(actor=request.user, labels=selectors.group_labels(obj)):
            return False  # read-only: a role holding permissions you lack is not yours to change
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        pass  # saved with its permissions by save_related, through the service

    def save_related(self, request, form, formsets, change):
        services_access.group_save(
            actor=request.user,
            group=form.instance,
            name=form.cleaned_data["name"],
            permissions=form.cleaned_data.get("permissions", form.instance.permissions.all() if change else []),
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services_access.group_delete(actor=request.user, group=obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services_access.group_delete(actor=request.user, group=group)


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


# allauth registers its own AuthenticatorAdmin (which shows the stored data): import it first
# so it is registered whatever the order of INSTALLED_APPS, then replace it.
importlib.import_module("allauth.mfa.admin")
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Second factors: who has which kind, and when it was last used. Never the secret (it is
    encrypted at rest, and no page shows its data). A lost one can be removed: the person is
    told and enrols a new one at their next sign-in."""

    audited_by_services = True  # jcr.accounts.services_access audits each change

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.user.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services_access.authenticator_remove(actor=request.user, authenticator=obj)

    def delete_queryset(self, request, queryset):
        for authenticator in queryset.select_related("user"):
            services_access.authenticator_remove(actor=request.user, authenticator=authenticator)


class RoleGrantForm(forms.ModelForm):
    actor = None  # set by RoleGrantAdmin.get_form

    class Meta:
        model = RoleGrant
        fields = ["user", "group", "reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("user") and cleaned.get("group"):
            try:
                services_access.role_grant_propose_check(actor=self.actor, user=cleaned["user"], group=cleaned["group"])
            except PermissionDenied as exc:
                raise ValidationError(str(exc)) from exc
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """The two-person rule for JTI roles: a JTI Chief proposes here; a different JTI Chief
    (or a superuser) confirms with the action, and only then is the role given."""

    audited_by_services = True  # jcr.accounts.services_access audits each change

    form = RoleGrantForm
    list_display = ["user", "group", "status", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["status", "group"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "group", "proposed_by", "decided_by"]
    readonly_fields = ["user", "group", "reason", "status", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    actions = ["confirm", "reject"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["user", "group", "reason"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_staff=True, is_active=True).order_by("email")
        if db_field.name == "group":
            kwargs["queryset"] = Group.objects.filter(
                pk__in=[g.pk for g in Group.objects.all() if selectors.group_is_jti(g)]
            ).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_decide(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm(selectors.GRANT_JTI_PERMISSION))

    def has_module_permission(self, request):
        return self._may_decide(request)

    def has_view_permission(self, request, obj=None):
        return self._may_decide(request)

    def has_add_permission(self, request):
        return self._may_decide(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return self._may_decide(request)

    def save_model(self, request, obj, form, change):
        grant = services_access.role_grant_propose(
            actor=request.user, user=obj.user, group=obj.group, reason=form.cleaned_data["reason"]
        )
        obj.pk = grant.pk

    @admin.action(description=_("Confirm the selected grants (second person)"), permissions=["decide"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, services_access.role_grant_confirm, _("Confirmed: the role is given."))

    @admin.action(description=_("Reject the selected grants"), permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, services_access.role_grant_reject, _("Rejected."))

    def _decide(self, request, queryset, service, done):
        for grant in queryset:
            try:
                service(actor=request.user, grant=grant)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{grant}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR)
            else:
                self.message_user(request, f"{grant}: {done}", messages.SUCCESS)
