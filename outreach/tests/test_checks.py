from cryptography.fernet import Fernet
from django.core import checks

from outreach.checks import social_credentials_key


def test_deploy_check_refuses_a_missing_or_malformed_credentials_key(settings):
    settings.JCR_SOCIAL_CREDENTIALS_KEY = ""
    assert [m.id for m in social_credentials_key()] == ["outreach.E001"]
    settings.JCR_SOCIAL_CREDENTIALS_KEY = "not-a-key"
    assert [m.id for m in social_credentials_key()] == ["outreach.E002"]
    settings.JCR_SOCIAL_CREDENTIALS_KEY = Fernet.generate_key().decode()
    assert social_credentials_key() == []


def test_the_check_runs_with_the_deploy_checks_only(settings):
    settings.JCR_SOCIAL_CREDENTIALS_KEY = ""
    assert "outreach.E001" not in {m.id for m in checks.run_checks(include_deployment_checks=False)}
    assert "outreach.E001" in {m.id for m in checks.run_checks(include_deployment_checks=True)}
