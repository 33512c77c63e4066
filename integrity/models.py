"""Models of the Justice, Training & Integrity Unit."""

from integrity.models_policies import (  # noqa: F401
    Bulletin,
    BulletinRecipient,
    BulletinReminder,
    DocumentStatus,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
)
