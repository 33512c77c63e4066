"""Models of the Community Outreach & Media Relations Unit."""

from outreach.models_dialogues import *  # noqa: F403
