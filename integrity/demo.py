"""Demo data of the Justice, Training & Integrity Unit for `manage.py seed_demo` (idempotent):
each feature of the unit seeds its own."""

from integrity.policies import demo as policies_demo
from integrity.publicrecords import demo as publicrecords_demo
from integrity.records import demo as records_demo
from integrity.training import demo as training_demo


def seed() -> None:
    training_demo.seed()
    policies_demo.seed()
    records_demo.seed()
    publicrecords_demo.seed()
