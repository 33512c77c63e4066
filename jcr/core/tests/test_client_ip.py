"""One client address for the whole portal, behind one setting (JCR_TRUSTED_PROXIES): with 0
proxies forwarded headers are ignored; with N the Nth address from the right of
X-Forwarded-For is the client (the left part is whatever the client chose to send)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from jcr.accounts.models import AccountLock, LoginFailure
from jcr.accounts.tests.factories import PASSWORD
from jcr.core.abuse import form_timestamp
from jcr.core.middleware import client_ip
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # the load balancer as the application server sees it
SPOOF = "192.0.2.66"  # what an attacker writes into X-Forwarded-For
REAL = "198.51.100.7"  # the attacker's real address, appended by the load balancer


@pytest.fixture
def behind_https_proxy(settings):
    """JCR_BEHIND_PROXY=true: trusted for X-Forwarded-Proto, which used to mean the
    left-most X-Forwarded-For was trusted too."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, f"{SPOOF}, {REAL}", PROXY, PROXY),  # headers ignored
        (0, "", REAL, REAL),
        (1, f"{SPOOF}, {REAL}", PROXY, REAL),  # the right-most is the one our proxy added
        (1, REAL, PROXY, REAL),
        (2, f"{SPOOF}, {REAL}, 10.0.0.9", PROXY, REAL),  # CDN then load balancer
        (1, "", REAL, REAL),  # reached the server without the proxy: the connection's address
        (2, REAL, PROXY, PROXY),  # fewer entries than proxies: not through the whole chain
        (1, "not-an-address", PROXY, PROXY),
        (1, f"{SPOOF}, {REAL}:4711", PROXY, REAL),  # a port some balancers add
        (1, f"{SPOOF}, [2001:db8::7]:4711", PROXY, "2001:db8::7"),
        (1, f"{SPOOF}, 2001:DB8::7", PROXY, "2001:db8::7"),
        (0, "", "", None),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    settings, behind_https_proxy, proxies, forwarded, remote, expected
):
    settings.JCR_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def _signup(email: str) -> dict:
    return {
        "email": email,
        "password1": "a long resident password 42",
        "password2": "a long resident password 42",
        "form_ts": form_timestamp(scope="signup", seconds_ago=60),
    }


@pytest.mark.parametrize(("proxies", "recorded"), [(0, PROXY), (1, REAL)])
def test_client_ip_spoofed_header_changes_no_recorded_address(
    settings, behind_https_proxy, resident_user, administrator, client_for, proxies, recorded
):
    """Audit entries, failed sign-ins, allauth's sessions and the rate limits all use one address."""
    from allauth.usersessions.models import UserSession

    settings.JCR_TRUSTED_PROXIES = proxies
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "signup": "2/h/ip"}
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "https"}

    def forwarded(n: int) -> dict:
        return {**headers, "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, {REAL}"}

    client = Client()
    client.post("/accounts/login/", {"login": resident_user.email, "password": "wrong"}, **forwarded(1))
    assert LoginFailure.objects.get().ip == recorded

    Client().post("/accounts/login/", {"login": resident_user.email, "password": PASSWORD}, **forwarded(3))
    assert list(UserSession.objects.filter(user=resident_user).values_list("ip", flat=True)) == [recorded]

    # The rate limit counts one client whatever it writes in the header.
    answers = [
        Client().post("/accounts/signup/", _signup(f"new{n}@example.org"), **forwarded(10 + n)).status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 200]

    # An audited action (an administrator unlocking an account) records the same address.
    lock = AccountLock.objects.create(email=resident_user.email)
    client_for(administrator).post(
        reverse("admin:accounts_accountlock_changelist"),
        {"action": "unlock", "_selected_action": [lock.pk]},
        **forwarded(20),
    )
    assert AuditEntry.objects.get(action="accounts.account.unlock").ip == recorded
