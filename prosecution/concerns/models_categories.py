"""The kinds of concern residents report: categories and their questions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel
from jcr.core.structured import SLUG, TEXT, field_errors, json_object_list


class Category(TimeStampedModel):
    """A kind of neighborhood concern; the Open311 service with the same `code`."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Open311 service_code."))
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True, help_text=_("Open311 group, e.g. Property."))
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Never shown on the public map, in the public API or in exports with its location or text."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (metres)"),
        default=150,
        help_text=_("Open concerns of this category within this distance are shown before submitting."),
    )

    class TextPublication(models.TextChoices):
        AFTER_REVIEW = "after_review", _("After staff review")
        NEVER = "never", _("Never")
        AT_ONCE = "at_once", _("At once")

    text_publication = models.CharField(
        _("publish the resident's text"),
        max_length=12,
        choices=TextPublication,
        default=TextPublication.AFTER_REVIEW,
        help_text=_(
            "When the resident's words (or the public version staff write) appear on public pages and in Open311. "
            "The kind of concern, its area and its status are public at once in every case."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language."""
        return self.name_es if translation.get_language() == "es" and self.name_es else self.name

    @property
    def description_label(self) -> str:
        return self.description_es if translation.get_language() == "es" and self.description_es else self.description


class Question(TimeStampedModel):
    """An extra question of a category: an Open311 service-definition attribute."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        TEXT = "text", _("Long text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        SINGLE = "singlevaluelist", _("One choice from a list")
        MULTI = "multivaluelist", _("Several choices from a list")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40, help_text=_("Open311 attribute code."))
    prompt = models.CharField(_("question"), max_length=200)
    prompt_es = models.CharField(_("question in Spanish"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    help_text_es = models.CharField(_("help text in Spanish"), max_length=300, blank=True)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype, default=Datatype.STRING)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_('For lists: [{"key": "yes", "name": "Yes", "name_es": "Sí"}, ...]'),
    )

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="prosecution_question_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"

    @property
    def label(self) -> str:
        return self.prompt_es if translation.get_language() == "es" and self.prompt_es else self.prompt

    @property
    def help_label(self) -> str:
        return self.help_text_es if translation.get_language() == "es" and self.help_text_es else self.help_text

    OPTIONS_EXAMPLE = '[{"key": "yes", "name": "Yes", "name_es": "Sí"}]'
    OPTION_FIELDS = {"key": SLUG, "name": TEXT, "name_es": TEXT}

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI)

    def clean(self) -> None:
        """The options are checked (and their texts cleaned) on every save through a form: a
        list question needs well-formed options with distinct keys, any other has none."""
        super().clean()
        self.options = field_errors(
            "options",
            json_object_list,
            self.options,
            fields=self.OPTION_FIELDS,
            required=("key", "name"),
            unique="key",
            example=self.OPTIONS_EXAMPLE,
        )
        if self.is_list and not self.options:
            raise ValidationError(
                {
                    "options": ValidationError(
                        _("A list question needs at least one option, like %(example)s."),
                        code="options_missing",
                        params={"example": self.OPTIONS_EXAMPLE},
                    )
                }
            )
        if not self.is_list and self.options:
            raise ValidationError(
                {"options": _("Only list questions take options: empty the options or choose a list type.")}
            )

    def valid_options(self) -> list[dict]:
        """The well-formed options as {"key", "name", "name_es"} strings. Rows saved before the
        options were checked may hold others: they are skipped, so a public form or the Open311
        service definition never fails on them."""
        if not isinstance(self.options, list):
            return []
        valid = []
        for option in self.options:
            if not isinstance(option, dict):
                continue
            key, name, name_es = option.get("key"), option.get("name"), option.get("name_es")
            if isinstance(key, bool) or not isinstance(key, str | int) or str(key).strip() == "":
                continue
            key = str(key).strip()
            valid.append(
                {
                    "key": key,
                    "name": name.strip() if isinstance(name, str) and name.strip() else key,
                    "name_es": name_es.strip() if isinstance(name_es, str) else "",
                }
            )
        return valid

    def option_choices(self) -> list[tuple[str, str]]:
        spanish = translation.get_language() == "es"
        return [(o["key"], (o["name_es"] if spanish else "") or o["name"]) for o in self.valid_options()]
