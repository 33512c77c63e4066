"""The models of the Community Prosecution Unit, one line per feature package (Django finds
them here)."""

from prosecution.concerns.models import (
    Concern,
    ConcernPhoto,
    ConcernUpdate,
    OverdueDigest,
    ResponseTemplate,
    ServiceLevel,
)
from prosecution.concerns.models_categories import Category, Question
from prosecution.concerns.models_follow import AreaAlert, AreaAlertDigest, ConcernFollow, ConcernSupport
from prosecution.concerns.models_queue import SavedQueueFilter
from prosecution.open311.models import Open311Client
from prosecution.partners.models import FollowUp, Partner, PartnerContact, Referral
from prosecution.projects.models import OwnerContact, Project, ProjectAction, ProjectConcern, ProjectPartner
from prosecution.transparency.models import ConcernStat, ConcernStatsBuild

__all__ = [
    "AreaAlert",
    "AreaAlertDigest",
    "Category",
    "Concern",
    "ConcernFollow",
    "ConcernPhoto",
    "ConcernStat",
    "ConcernStatsBuild",
    "ConcernSupport",
    "ConcernUpdate",
    "FollowUp",
    "Open311Client",
    "OverdueDigest",
    "OwnerContact",
    "Partner",
    "PartnerContact",
    "Project",
    "ProjectAction",
    "ProjectConcern",
    "ProjectPartner",
    "Question",
    "Referral",
    "ResponseTemplate",
    "SavedQueueFilter",
    "ServiceLevel",
]
