"""Models of the Justice, Training & Integrity Unit."""

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
