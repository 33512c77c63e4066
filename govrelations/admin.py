"""The admin of Government Relations: each feature package registers its own models."""

from govrelations.bills import admin as bills_admin
from govrelations.hearings import admin as hearings_admin
from govrelations.positions import admin as positions_admin

__all__ = ["bills_admin", "hearings_admin", "positions_admin"]
