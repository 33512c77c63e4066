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
from integrity.models_records import (  # noqa: F401
    Allegation,
    AllegationAttachment,
    Claim,
    ClaimScreening,
    CourtOrder,
    CourtReferral,
    DeadlineRule,
    DisclosureEntry,
    DisclosureLog,
    EligibilityCriterion,
    EvidenceItem,
    ExternalReviewNote,
    RecordDeadline,
    RecordStep,
    TestingRequest,
)
