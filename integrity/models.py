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
from integrity.models_training import (  # noqa: F401
    Attendance,
    ComplianceGroup,
    Course,
    CourseCredit,
    CreditCategory,
    MCLECategoryMinimum,
    MCLEReminder,
    MCLERuleSet,
    SessionRegistration,
    TrainingSession,
)
