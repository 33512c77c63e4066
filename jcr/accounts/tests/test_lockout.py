"""Sign-in protection that protects without locking anyone out.

* Wrong passwords are throttled per client address and per (address, account) with a growing
  back-off; a refused attempt says when to try again. Nobody else's failures stop the owner
  from signing in from their own address, and none of them ends the owner's sessions.
* An account is locked only by repeated wrong second-factor codes after a correct password,
  for JCR_LOCKOUT_DURATION; the person is told by e-mail; an administrator (or
  `manage.py unlock_account`) can unlock it sooner. Locks and unlocks are audited.
* An unknown address is answered exactly like a known one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jcr.accounts import services
from jcr.accounts.adapters import locked_message, throttled_message
from jcr.accounts.models import AccountLock, LoginFailure
from jcr.accounts.tests.factories import PASSWORD, StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOGIN = "/accounts/login/"
ATTACKER = "198.51.100.66"
OWNER_HOME = "203.0.113.10"
OWNER_PHONE = "203.0.113.11"


def login_post(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def form_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def wrong_codes(staff, *, times: int, ip: str = ATTACKER) -> Client:
    """Sign in as `staff` with the right password, then type `times` wrong codes."""
    client = Client(REMOTE_ADDR=ip)
    response = login_post(client, staff.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    for _ in range(times):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    return client


@pytest.mark.parametrize("attempts", [5, 50])
def test_lockout_wrong_passwords_from_an_attacker_never_lock_out_the_owner(resident_user, attempts):
    owner = Client(REMOTE_ADDR=OWNER_HOME)
    login_post(owner, resident_user.email, PASSWORD)
    assert signed_in(owner)

    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(attempts):
        login_post(attacker, resident_user.email, "wrong password")

    assert not AccountLock.objects.exists()
    assert owner.get(reverse("accounts:my_submissions")).status_code == 200  # the session lives on
    assert signed_in(owner)
    elsewhere = Client(REMOTE_ADDR=OWNER_PHONE)
    login_post(elsewhere, resident_user.email, PASSWORD)
    assert signed_in(elsewhere)


def test_lockout_throttle_backs_off_more_after_each_failure_and_says_when(resident_user, settings, time_machine):
    settings.JCR_LOGIN_FREE_FAILURES_PER_ACCOUNT = 3
    settings.JCR_LOGIN_BACKOFF_SECONDS = 60
    client = Client(REMOTE_ADDR=ATTACKER)
    time_machine.move_to(T0, tick=False)
    for _ in range(3):
        assert throttled_message(1) not in form_errors(login_post(client, resident_user.email, "wrong"))

    steps = [  # (seconds after T0, refused?, minutes announced)
        (30, True, 1),  # 1 minute after the third failure
        (61, False, None),  # the fourth failure: 2 minutes from now
        (61 + 100, True, 1),
        (61 + 121, False, None),  # the fifth: 4 minutes
        (61 + 121 + 60, True, 3),
    ]
    for seconds, refused, minutes in steps:
        time_machine.move_to(T0 + dt.timedelta(seconds=seconds), tick=False)
        errors = form_errors(login_post(client, resident_user.email, PASSWORD if refused else "wrong"))
        assert (errors == [throttled_message(minutes)]) if refused else (errors and "minute" not in errors[0])
    assert not signed_in(client)  # the right password is refused too while the back-off lasts
    assert LoginFailure.objects.count() == 5  # refused attempts are not checked, nor counted


def test_lockout_throttle_is_per_address_and_per_address_and_account(resident_user, settings):
    settings.JCR_LOGIN_FREE_FAILURES_PER_ACCOUNT = 2
    settings.JCR_LOGIN_FREE_FAILURES_PER_IP = 4
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(2):
        login_post(attacker, "victim@example.org", "wrong")
    assert form_errors(login_post(attacker, "victim@example.org", "wrong")) == [throttled_message(1)]
    # Another account from the same address is still answered, until the address's own limit.
    for n in range(2):
        assert "minute" not in form_errors(login_post(attacker, f"other{n}@example.org", "wrong"))[0]
    assert form_errors(login_post(attacker, resident_user.email, PASSWORD)) == [throttled_message(1)]
    # The same account from another address is not affected.
    owner = Client(REMOTE_ADDR=OWNER_HOME)
    login_post(owner, "victim@example.org", "wrong")
    login_post(owner, resident_user.email, PASSWORD)
    assert signed_in(owner)


def test_lockout_unknown_address_gets_the_same_answers(resident_user):
    known, unknown = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    known_errors = [form_errors(login_post(known, resident_user.email, "wrong")) for _ in range(8)]
    unknown_errors = [form_errors(login_post(unknown, "nobody@example.org", "wrong")) for _ in range(8)]
    assert known_errors == unknown_errors
    assert known_errors[-1] == [throttled_message(1)]


def test_lockout_wrong_codes_after_the_right_password_lock_for_a_while(settings, client_for):
    staff = StaffFactory(full_name="Ana O'Neil")
    owner = client_for(staff)  # signed in elsewhere
    client = Client(REMOTE_ADDR=ATTACKER)
    login_post(client, staff.email, PASSWORD)
    for attempt in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
        assert any("locked" in e for e in response.context["form"].errors["code"]) is (attempt == 4)
    assert not signed_in(client)

    lock = AccountLock.objects.get(email=staff.email)
    assert lock.is_active
    assert lock.ip == ATTACKER
    assert lock.expires_at - lock.locked_at == settings.JCR_LOCKOUT_DURATION
    entry = AuditEntry.objects.get(action="accounts.account.lock")
    assert (entry.object_type, entry.object_id, entry.ip) == ("accounts.accountlock", str(lock.pk), ATTACKER)
    assert entry.after == {"email": staff.email, "failures": 5, "expires_at": lock.expires_at.isoformat()}
    mail = OutboundEmail.objects.get(template="accounts/account_locked")
    assert mail.to == staff.email
    assert ATTACKER in mail.body_text
    assert "Ana O'Neil" in mail.body_text  # plain text is not HTML-escaped

    # The lock never ends the person's sessions: the attacker only had the password.
    assert owner.get(reverse("core:dashboard")).status_code == 200
    # Only the right password learns of the lock; a wrong one gets the usual answer.
    fresh = Client(REMOTE_ADDR=OWNER_PHONE)
    assert form_errors(login_post(fresh, staff.email, PASSWORD)) == [locked_message(lock)]
    assert "locked" not in form_errors(login_post(fresh, staff.email, "wrong"))[0]
    assert not signed_in(fresh)


def test_lockout_lock_expires(settings, time_machine):
    staff = StaffFactory()
    time_machine.move_to(T0, tick=False)
    wrong_codes(staff, times=5)
    assert services.account_is_locked(email=staff.email)

    time_machine.move_to(T0 + settings.JCR_LOCKOUT_DURATION + dt.timedelta(seconds=1), tick=False)
    assert not services.account_is_locked(email=staff.email)
    client = Client(REMOTE_ADDR=OWNER_HOME)
    assert login_post(client, staff.email, PASSWORD)["Location"] == reverse("mfa_authenticate")
    # A new series locks again (the expired lock does not stand in the way).
    wrong_codes(staff, times=5)
    assert AccountLock.objects.filter(email=staff.email).count() == 2
    assert services.account_is_locked(email=staff.email)


def test_lockout_wrong_passwords_do_not_count_toward_the_lock():
    staff = StaffFactory()
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(4):
        login_post(client, staff.email, "wrong password")
    login_post(client, staff.email, PASSWORD)
    for _ in range(4):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not AccountLock.objects.exists()
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert AccountLock.objects.filter(email=staff.email).exists()


def _assert_unlocked(staff, lock: AccountLock, *, actor) -> None:
    lock.refresh_from_db()
    assert lock.unlocked_at is not None
    assert lock.unlocked_by == actor
    assert not lock.is_active
    entry = AuditEntry.objects.get(action="accounts.account.unlock")
    assert entry.actor_id == (actor.pk if actor else None)
    assert entry.object_id == str(lock.pk)
    assert OutboundEmail.objects.filter(template="accounts/account_unlocked", to=staff.email).count() == 1
    client = Client(REMOTE_ADDR=OWNER_HOME)
    assert login_post(client, staff.email, PASSWORD)["Location"] == reverse("mfa_authenticate")


def test_lockout_account_unlock_by_an_administrator(administrator):
    staff = StaffFactory()
    wrong_codes(staff, times=5)
    lock = AccountLock.objects.get(email=staff.email)
    services.account_unlock(lock=lock, actor=administrator)
    _assert_unlocked(staff, lock, actor=administrator)


def test_lockout_account_unlock_needs_the_permission(outreach_staff):
    staff = StaffFactory()
    wrong_codes(staff, times=5)
    lock = AccountLock.objects.get(email=staff.email)
    with pytest.raises(PermissionDenied):
        services.account_unlock(lock=lock, actor=outreach_staff)
    lock.refresh_from_db()
    assert lock.is_active


def test_lockout_admin_unlock_action(administrator, client_for):
    staff = StaffFactory()
    wrong_codes(staff, times=5)
    lock = AccountLock.objects.get(email=staff.email)
    response = client_for(administrator).post(
        reverse("admin:accounts_accountlock_changelist"), {"action": "unlock", "_selected_action": [lock.pk]}
    )
    assert response.status_code == 302
    _assert_unlocked(staff, lock, actor=administrator)
    page = client_for(administrator).get(reverse("admin:accounts_accountlock_changelist"), {"state": "ended"})
    assert page.status_code == 200
    assert staff.email in page.content.decode()


def test_lockout_unlock_account_command_works_with_every_administrator_locked(administrator, capsys):
    staff = StaffFactory()
    wrong_codes(staff, times=5)
    wrong_codes(administrator, times=5)
    lock = AccountLock.objects.get(email=staff.email)

    call_command("unlock_account", f"  {staff.email.upper()} ")

    assert "Unlocked" in capsys.readouterr().out
    _assert_unlocked(staff, lock, actor=None)
    assert AuditEntry.objects.get(action="accounts.account.unlock").after == {
        "email": staff.email,
        "by": "manage.py unlock_account",
    }
    assert services.account_is_locked(email=administrator.email)
    with pytest.raises(CommandError, match="not locked"):
        call_command("unlock_account", staff.email)
