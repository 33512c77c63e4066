# Media
from outreach import admin_media  # noqa: F401
