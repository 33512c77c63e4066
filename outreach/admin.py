"""The admin of the unit: each feature registers its own models."""

from outreach.dialogues import admin as dialogues_admin  # noqa: F401
from outreach.events import admin as events_admin  # noqa: F401
from outreach.media import admin as media_admin  # noqa: F401
from outreach.programs import admin as programs_admin  # noqa: F401
from outreach.social import admin as social_admin  # noqa: F401
