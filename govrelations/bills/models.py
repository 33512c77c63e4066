"""Bills of Government Relations: bills in the shape Open States publishes them, the unit's
tracking of them (watch list, comments, follows and alerts, the weekly digest, implementation
tasks) and the record of each import from Open States. Positions and hearings are in their
own packages.

Rows that come from Open States (the bill and its abstracts, sponsorships, actions,
documents, votes and related bills) are owned by the sync: an import replaces them whole.
The unit's own rows (tracking fields, comments, positions, letters, hearings, tasks) are
never touched by it.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel, WorkItem
from jcr.core.structured import TEXT, URL, field_errors, json_object_list, json_text_list


class Jurisdiction(TimeStampedModel):
    class Classification(models.TextChoices):
        STATE = "state", _("State")
        COUNTRY = "country", _("Country")
        MUNICIPALITY = "municipality", _("Municipality")

    ocd_id = models.CharField(
        _("Open Civic Data id"),
        max_length=200,
        unique=True,
        help_text=_("For example ocd-jurisdiction/country:us/state:ca/government"),
    )
    name = models.CharField(_("name"), max_length=120)
    classification = models.CharField(
        _("classification"), max_length=20, choices=Classification, default=Classification.STATE
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegislativeSession(TimeStampedModel):
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="sessions"
    )
    identifier = models.CharField(_("identifier"), max_length=40, help_text=_("As Open States names it, e.g. 20252026"))
    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("legislative session")
        verbose_name_plural = _("legislative sessions")
        ordering = ["jurisdiction__name", "-identifier"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "identifier"], name="govrelations_session_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.name}"


class Subject(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DatePrecision(models.TextChoices):
    """How much of a date the source knew: Open States sometimes gives only "2025" or "2025-03";
    such a date is stored as its first day with the precision it had."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def precision_field(verbose_name):
    return models.CharField(verbose_name, max_length=5, choices=DatePrecision, default=DatePrecision.DAY)


# Open States' vocabulary, edited by hand in the admin.
CLASSIFICATION_EXAMPLE = '["bill", "resolution"]'


class Bill(TimeStampedModel):
    class Status(models.TextChoices):
        INTRODUCED = "introduced", _("Introduced")
        IN_COMMITTEE = "in_committee", _("In committee")
        PASSED_CHAMBER = "passed_chamber", _("Passed one house")
        PASSED_LEGISLATURE = "passed_legislature", _("Passed the Legislature")
        CHAPTERED = "chaptered", _("Chaptered (became law)")
        VETOED = "vetoed", _("Vetoed")
        FAILED = "failed", _("Failed or withdrawn")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="bills"
    )
    session = models.ForeignKey(
        LegislativeSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="bills"
    )
    identifier = models.CharField(_("identifier"), max_length=40, help_text=_("For example AB 1234"))
    title = models.TextField(_("title"))
    classification = models.JSONField(_("classification"), default=list, blank=True)
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), blank=True, related_name="bills")
    from_organization = models.CharField(_("originating chamber"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status, default=Status.INTRODUCED, db_index=True)
    first_action_date = models.DateField(_("first action"), null=True, blank=True)
    first_action_date_precision = precision_field(_("first action date precision"))
    latest_action_date = models.DateField(_("latest action"), null=True, blank=True)
    latest_action_date_precision = precision_field(_("latest action date precision"))
    latest_action_description = models.TextField(_("latest action description"), blank=True)
    open_states_id = models.CharField(_("Open States id"), max_length=120, unique=True, null=True, blank=True)
    openstates_url = models.URLField(_("Open States page"), max_length=500, blank=True)
    source_created_at = models.DateTimeField(_("created at the source"), null=True, blank=True)
    source_updated_at = models.DateTimeField(_("updated at the source"), null=True, blank=True)
    source_hash = models.CharField(_("fingerprint of the imported record"), max_length=64, blank=True, editable=False)
    # The unit's tracking: never written by the sync.
    is_watched = models.BooleanField(_("on the watch list"), default=False, db_index=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority, blank=True)
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned analyst"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="govrel_bills",
    )
    analysis_memo = models.TextField(_("internal analysis memo"), blank=True, help_text=_("Never published."))

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["session", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["session", "identifier"], name="govrelations_bill_session_identifier"),
        ]
        indexes = [models.Index(fields=["-latest_action_date", "id"], name="govrel_bill_latest_idx")]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.session.identifier})" if self.session_id else self.identifier

    def clean(self) -> None:
        super().clean()
        self.classification = field_errors(
            "classification", json_text_list, self.classification, example=CLASSIFICATION_EXAMPLE
        )


class BillAbstract(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="abstracts")
    abstract = models.TextField(_("abstract"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("abstract")
        verbose_name_plural = _("abstracts")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.abstract[:80]


class BillSponsorship(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="sponsorships")
    name = models.CharField(_("name"), max_length=200)
    entity_type = models.CharField(_("entity type"), max_length=20, blank=True)
    primary = models.BooleanField(_("primary sponsor"), default=False)
    classification = models.CharField(_("classification"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        ordering = ["-primary", "order", "id"]

    def __str__(self) -> str:
        return self.name


class BillAction(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="actions")
    date = models.DateField(_("date"))
    date_precision = precision_field(_("date precision"))
    description = models.TextField(_("description"))
    classification = models.JSONField(_("classification"), default=list, blank=True)
    organization = models.CharField(_("organization"), max_length=120, blank=True)
    chamber = models.CharField(_("chamber"), max_length=20, blank=True, help_text=_("upper, lower, executive ..."))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["order", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.description[:80]}"

    def clean(self) -> None:
        super().clean()
        self.classification = field_errors(
            "classification", json_text_list, self.classification, example=CLASSIFICATION_EXAMPLE
        )


class BillDocument(models.Model):
    class Kind(models.TextChoices):
        VERSION = "version", _("Version")
        DOCUMENT = "document", _("Document")

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.VERSION)
    note = models.CharField(_("note"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = precision_field(_("date precision"))
    links = models.JSONField(
        _("links"), default=list, blank=True, help_text=_('A list of {"url": ..., "media_type": ...}')
    )

    class Meta:
        verbose_name = _("version or document")
        verbose_name_plural = _("versions and documents")
        ordering = ["kind", "-date", "id"]

    def __str__(self) -> str:
        return self.note

    def clean(self) -> None:
        """Links are shown as links on staff pages: web addresses only (never javascript:)."""
        super().clean()
        self.links = field_errors(
            "links",
            json_object_list,
            self.links,
            fields={"url": URL, "media_type": TEXT},
            required=("url",),
            example='[{"url": "https://leginfo.legislature.ca.gov/...", "media_type": "text/html"}]',
        )


class VoteSummary(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="votes")
    motion_text = models.TextField(_("motion"))
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = precision_field(_("date precision"))
    organization = models.CharField(_("organization"), max_length=120, blank=True)
    result = models.CharField(_("result"), max_length=40, blank=True)
    yes_count = models.PositiveIntegerField(_("yes"), default=0)
    no_count = models.PositiveIntegerField(_("no"), default=0)
    other_count = models.PositiveIntegerField(_("other"), default=0)

    class Meta:
        verbose_name = _("vote summary")
        verbose_name_plural = _("vote summaries")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.motion_text[:60]} ({self.result})"


class RelatedBill(models.Model):
    """A bill Open States says is related (a companion, a replacement, the same bill in a prior
    session). `related` is set when that bill is in the tracker too."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="related_bills")
    identifier = models.CharField(_("identifier"), max_length=40)
    legislative_session = models.CharField(_("session"), max_length=40)
    relation_type = models.CharField(_("relation"), max_length=40, blank=True)
    related = models.ForeignKey(
        Bill, verbose_name=_("bill in the tracker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("related bill")
        verbose_name_plural = _("related bills")
        ordering = ["legislative_session", "identifier"]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.legislative_session}) {self.relation_type}"


class BillComment(TimeStampedModel):
    """An internal comment on a bill: never published."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class BillFollow(TimeStampedModel):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="govrel_follows")

    class Meta:
        verbose_name = _("followed bill")
        verbose_name_plural = _("followed bills")
        constraints = [models.UniqueConstraint(fields=["bill", "user"], name="govrelations_billfollow_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.bill}"


class BillAlert(WorkItem):
    """An e-mail to a follower about a new action on a bill, one row per follower and action."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE)
    action_key = models.CharField(_("action"), max_length=64)
    action_date = models.DateField(_("action date"))
    action_description = models.TextField(_("action description"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bill alert")
        verbose_name_plural = _("bill alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "recipient", "action_key"], name="govrelations_billalert_unique"),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="govrel_alert_due_idx")]

    def __str__(self) -> str:
        return f"{self.bill.identifier}: {self.action_description[:60]}"


class DigestSubscription(TimeStampedModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="govrel_digest")
    is_active = models.BooleanField(_("receives the weekly digest"), default=True)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest subscription")
        verbose_name_plural = _("weekly digest subscriptions")

    def __str__(self) -> str:
        return str(self.user)


class ImplementationTask(TimeStampedModel):
    """Work that follows a bill becoming law."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Update a policy")
        TRAINING = "training", _("Training")
        LEGAL_UPDATE = "legal_update", _("Issue a legal update")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    integrity_url = models.URLField(
        _("JTI record"),
        max_length=500,
        blank=True,
        help_text=_(
            "A link to the Justice, Training & Integrity Unit's policy, course or legal update, once it exists."
        ),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("implementation task")
        verbose_name_plural = _("implementation tasks")
        ordering = ["completed_at", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "kind", "title"], name="govrelations_task_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class SyncTarget(TimeStampedModel):
    """What the nightly sync asks Open States for: a jurisdiction, optionally narrowed to a
    session, a subject or a search term."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=200, help_text=_("A name (California) or an ocd id"))
    session = models.CharField(_("session"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    query = models.CharField(_("search terms"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_synced_at = models.DateTimeField(_("last successful sync started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync target")
        verbose_name_plural = _("sync targets")
        ordering = ["jurisdiction", "session", "subject", "query"]

    def __str__(self) -> str:
        parts = [self.jurisdiction, self.session, self.subject, self.query and f"“{self.query}”"]
        return " · ".join(p for p in parts if p)


class SyncRun(models.Model):
    """One import of one query. A run always ends: finished, stopped because the day's request
    budget was spent (its cursor says where the next run resumes), or failed (an API error, the
    time limit, or a process that died, found by the sweep)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        STOPPED_BUDGET = "stopped_budget", _("Stopped: daily request budget spent")
        FAILED = "failed", _("Failed")

    target = models.ForeignKey(SyncTarget, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    parameters = models.JSONField(_("parameters"), default=dict)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RUNNING)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    requests = models.PositiveIntegerField(_("requests used"), default=0)
    throttled = models.PositiveIntegerField(
        _("answers 429 (too many requests)"), default=0, help_text=_("Each was waited out and retried.")
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class SyncError(models.Model):
    """A record the sync skipped, and why."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="errors")
    open_states_id = models.CharField(_("Open States id"), max_length=120, blank=True)
    identifier = models.CharField(_("identifier"), max_length=40, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("skipped record")
        verbose_name_plural = _("skipped records")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.identifier or self.open_states_id}: {self.reason[:80]}"


class SyncCursor(TimeStampedModel):
    """Where an unfinished query resumes: the `updated_since` and `page` of the next request.
    Written when a run stops (budget spent, error, time limit); removed when the query finishes.
    Delete it to make the next run start afresh."""

    key = models.CharField(_("query key"), max_length=64, unique=True, editable=False)
    target = models.ForeignKey(
        SyncTarget, verbose_name=_("sync target"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200)
    session = models.CharField(_("session"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    query = models.CharField(_("search terms"), max_length=200, blank=True)
    updated_since = models.DateTimeField(_("updated since"), null=True, blank=True)
    page = models.PositiveIntegerField(_("page"), default=1)
    run = models.ForeignKey(
        SyncRun, verbose_name=_("stopped run"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sync cursor")
        verbose_name_plural = _("sync cursors")
        ordering = ["jurisdiction", "session", "subject", "query"]

    def __str__(self) -> str:
        since = f"{self.updated_since:%Y-%m-%d %H:%M:%S}" if self.updated_since else "-"
        return f"{self.jurisdiction} {self.session} since {since} page {self.page}".strip()


class ApiUsage(models.Model):
    """Requests made to Open States on one UTC day, shared by every process (the row is locked
    while a request is counted): the day's budget and the current minute's window."""

    day = models.DateField(_("day (UTC)"), unique=True)
    requests = models.PositiveIntegerField(_("requests"), default=0)
    throttled = models.PositiveIntegerField(_("answers 429"), default=0)
    minute_start = models.DateTimeField(_("current minute"), null=True, blank=True)
    minute_requests = models.PositiveIntegerField(_("requests this minute"), default=0)

    class Meta:
        verbose_name = _("Open States usage")
        verbose_name_plural = _("Open States usage")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.requests}"
