"""Account lockout: five failures in fifteen minutes lock the address until an administrator
unlocks it; passwords and second-factor codes both count, and an unknown address behaves the
same as a known one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jcr.accounts import services
from jcr.accounts.adapters import LOCKED_MESSAGE
from jcr.accounts.models import AccountLock, LoginFailure
from jcr.accounts.tests.factories import PASSWORD, StaffFactory
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOGIN = "/accounts/login/"


def login_post(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.non_field_errors()]


def fail_five_times(client: Client, email: str):
    responses = [login_post(client, email, "wrong password") for _ in range(5)]
    for response in responses:
        assert response.status_code == 200
    return responses


def test_five_wrong_passwords_lock_the_account(resident_user):
    client = Client()
    responses = fail_five_times(client, resident_user.email)
    assert str(LOCKED_MESSAGE) not in form_errors(responses[3])
    assert form_errors(responses[4]) == [str(LOCKED_MESSAGE)]
    assert AccountLock.objects.filter(email=resident_user.email, unlocked_at__isnull=True).count() == 1
    assert LoginFailure.objects.filter(email=resident_user.email, kind=LoginFailure.Kind.PASSWORD).count() == 5

    response = login_post(client, resident_user.email, PASSWORD)  # the right password, too late
    assert response.status_code == 200
    assert form_errors(response) == [str(LOCKED_MESSAGE)]
    assert not signed_in(client)
    other = Client()  # another browser, and the address typed in capitals
    assert form_errors(login_post(other, resident_user.email.upper(), PASSWORD)) == [str(LOCKED_MESSAGE)]
    assert not signed_in(other)


def test_lock_is_audited(resident_user):
    fail_five_times(Client(), resident_user.email)
    lock = AccountLock.objects.get(email=resident_user.email)
    entry = AuditEntry.objects.get(action="accounts.account.lock")
    assert entry.object_type == "accounts.accountlock"
    assert entry.object_id == str(lock.pk)
    assert entry.after == {"email": resident_user.email, "failures": 5}


def test_unknown_address_gets_the_same_answers(resident_user):
    known, unknown = Client(), Client()
    known_responses = fail_five_times(known, resident_user.email)
    unknown_responses = fail_five_times(unknown, "nobody@example.org")
    for a, b in zip(known_responses, unknown_responses, strict=True):
        assert form_errors(a) == form_errors(b)
    assert form_errors(unknown_responses[4]) == [str(LOCKED_MESSAGE)]
    assert AccountLock.objects.filter(email="nobody@example.org", unlocked_at__isnull=True).exists()
    assert form_errors(login_post(unknown, "nobody@example.org", PASSWORD)) == [str(LOCKED_MESSAGE)]


def test_failures_spread_over_more_than_the_window_do_not_lock(resident_user, time_machine):
    client = Client()
    time_machine.move_to(T0, tick=False)
    for minute in (0, 4, 8, 12, 16):  # at 16 minutes the first failure has left the window
        time_machine.move_to(T0 + dt.timedelta(minutes=minute), tick=False)
        response = login_post(client, resident_user.email, "wrong password")
        assert str(LOCKED_MESSAGE) not in form_errors(response)
    assert not AccountLock.objects.exists()
    login_post(client, resident_user.email, PASSWORD)
    assert signed_in(client)


def test_five_failures_within_the_window_lock(resident_user, time_machine):
    client = Client()
    for minute in (0, 3, 7, 11, 14):
        time_machine.move_to(T0 + dt.timedelta(minutes=minute), tick=False)
        login_post(client, resident_user.email, "wrong password")
    assert AccountLock.objects.filter(email=resident_user.email).exists()


def test_wrong_second_factor_codes_count_toward_the_lock():
    staff = StaffFactory()
    client = Client()
    response = login_post(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)

    for attempt in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
        errors = response.context["form"].errors["code"]
        assert (str(LOCKED_MESSAGE) in errors) is (attempt == 4)
    assert LoginFailure.objects.filter(email=staff.email, kind=LoginFailure.Kind.SECOND_FACTOR).count() == 5
    assert AccountLock.objects.filter(email=staff.email, unlocked_at__isnull=True).exists()
    assert not signed_in(client)

    fresh = Client()
    assert form_errors(login_post(fresh, staff.email, PASSWORD)) == [str(LOCKED_MESSAGE)]
    assert not signed_in(fresh)


def test_wrong_passwords_and_wrong_codes_add_up():
    staff = StaffFactory()
    client = Client()
    for _ in range(3):
        login_post(client, staff.email, "wrong password")
    login_post(client, staff.email, PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not AccountLock.objects.exists()
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert AccountLock.objects.filter(email=staff.email).exists()


def test_account_unlock_lets_the_person_sign_in_again(resident_user, administrator):
    fail_five_times(Client(), resident_user.email)
    lock = AccountLock.objects.get(email=resident_user.email)

    services.account_unlock(lock=lock, actor=administrator)

    lock.refresh_from_db()
    assert lock.unlocked_by == administrator
    assert lock.unlocked_at is not None
    assert not LoginFailure.objects.filter(email=resident_user.email).exists()
    entry = AuditEntry.objects.get(action="accounts.account.unlock")
    assert entry.actor_id == administrator.pk
    assert entry.object_id == str(lock.pk)
    client = Client()
    login_post(client, resident_user.email, PASSWORD)
    assert signed_in(client)


def test_account_unlock_needs_the_permission(resident_user, outreach_staff):
    from django.core.exceptions import PermissionDenied

    fail_five_times(Client(), resident_user.email)
    lock = AccountLock.objects.get(email=resident_user.email)
    with pytest.raises(PermissionDenied):
        services.account_unlock(lock=lock, actor=outreach_staff)
    lock.refresh_from_db()
    assert lock.unlocked_at is None


def test_admin_unlock_action(resident_user, administrator, client_for):
    fail_five_times(Client(), resident_user.email)
    lock = AccountLock.objects.get(email=resident_user.email)

    response = client_for(administrator).post(
        reverse("admin:accounts_accountlock_changelist"), {"action": "unlock", "_selected_action": [lock.pk]}
    )

    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.unlocked_by == administrator
    assert AuditEntry.objects.filter(action="accounts.account.unlock", actor_id=administrator.pk).count() == 1
    client = Client()
    login_post(client, resident_user.email, PASSWORD)
    assert signed_in(client)


def test_a_lock_ends_the_sessions_of_the_account(resident_user, client_for):
    signed_in_elsewhere = Client()
    login_post(signed_in_elsewhere, resident_user.email, PASSWORD)
    assert signed_in(signed_in_elsewhere)
    fail_five_times(Client(), resident_user.email)
    response = signed_in_elsewhere.get(reverse("accounts:my_submissions"))
    assert response.status_code == 302
    assert not signed_in(signed_in_elsewhere)
