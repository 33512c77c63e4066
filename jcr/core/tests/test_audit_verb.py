from types import SimpleNamespace

from django.utils import translation

from jcr.core.templatetags.audit import audit_verb


def test_audit_verb_reads_the_last_word_of_the_action_code():
    assert audit_verb(SimpleNamespace(action="integrity.record.view")) == "Opened"
    assert audit_verb(SimpleNamespace(action="integrity.training.session_change")) == "Changed"
    assert audit_verb(SimpleNamespace(action="concern.public_text")) == "concern public text"
    with translation.override("es"):
        assert audit_verb(SimpleNamespace(action="social_post.approve")) == "Aprobó"
