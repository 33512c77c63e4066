"""The admin of the Justice, Training & Integrity Unit: each feature registers its own models."""

from integrity.policies import admin as policies_admin
from integrity.publicrecords import admin as publicrecords_admin
from integrity.records import admin as records_admin
from integrity.rules import admin as rules_admin
from integrity.training import admin as training_admin

__all__ = ["policies_admin", "publicrecords_admin", "records_admin", "rules_admin", "training_admin"]
