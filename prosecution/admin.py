"""The admin of the Community Prosecution Unit: each feature registers its models."""

from prosecution.concerns import admin as concerns_admin
from prosecution.open311 import admin as open311_admin
from prosecution.partners import admin as partners_admin
from prosecution.projects import admin as projects_admin
from prosecution.transparency import admin as transparency_admin

__all__ = ["concerns_admin", "open311_admin", "partners_admin", "projects_admin", "transparency_admin"]
