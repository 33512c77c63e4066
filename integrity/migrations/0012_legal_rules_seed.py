"""The legal rules registry's first rules, the judicial holidays of 2014-2036, the JTI Chief's
permissions on both, and the PC 1405 requests entered before the registry.

Requests entered before the registry had one "date served" and a typed or rule-picked due
date; the dates the motion was served on the Attorney General and on the district attorney
were never recorded, so their due dates cannot be computed: they are kept as they were and
marked (`response_due_kept`) for a person to check against the statute."""

from datetime import date

from django.db import migrations

from integrity.rules.courtdays import judicial_holidays_seed
from jcr.accounts import roles

PC1405_URL = "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=PEN&sectionNum=1405"
SB980_URL = "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=201320140SB980"

RULES = [
    {
        "code": "pc1405-response",
        "version": 1,
        "name": "PC 1405: response to a motion for post-conviction DNA testing (before SB 980)",
        "citation": "Pen. Code § 1405, subd. (c)(2) (Stats. 2000, ch. 821, before SB 980)",
        "official_url": SB980_URL,
        "effective_from": date(2001, 1, 1),
        "effective_to": date(2014, 12, 31),
        "parameters": {"days": 60, "count": "calendar", "from": "service_on_ag_and_da", "roll": True},
        "notes": (
            "Responses, if any, within 60 days of the date on which the Attorney General and the district "
            "attorney are served with the motion, unless a continuance is granted for good cause (as SB 980's "
            "Legislative Counsel's Digest states the law it amended). Calendar days; a last day on a weekend or "
            "judicial holiday rolls to the next court day (Code Civ. Proc. §§ 12, 12a). The subdivision letter "
            "is that of the text before SB 980 inserted the discovery subdivision: confirm it."
        ),
    },
    {
        "code": "pc1405-response",
        "version": 2,
        "name": "PC 1405: response to a motion for post-conviction DNA testing",
        "citation": "Pen. Code § 1405, subd. (d)(2) (as amended by SB 980, Stats. 2014)",
        "official_url": PC1405_URL,
        "effective_from": date(2015, 1, 1),
        "effective_to": None,
        "parameters": {"days": 90, "count": "calendar", "from": "service_on_ag_and_da", "roll": True},
        "notes": (
            "SB 980 (in force 1 January 2015) extended the time to file a response to 90 days of the date on "
            "which both the Attorney General and the district attorney have been served (so from the later "
            "service date), unless a continuance is granted for good cause. AB 2521 (2024) amended § 1405 "
            "again; no change to this period was found in the parts read: confirm against the section in force."
        ),
    },
    {
        "code": "pc1405-briefing-extension",
        "version": 1,
        "name": "PC 1405: additional time to brief specified issues",
        "citation": "Pen. Code § 1405, subd. (d)(2) (added by SB 980, Stats. 2014)",
        "official_url": PC1405_URL,
        "effective_from": date(2015, 1, 1),
        "effective_to": None,
        "parameters": {"days": 60, "count": "calendar", "from": "response_period_end", "roll": True},
        "notes": (
            "Either party may request an additional 60 days to brief specified issues (SB 980). Counted here "
            "from the last day of the 90-day response period before any rolling to a court day (the earlier "
            "reading); the result rolls to the next court day."
        ),
    },
]

CHIEF = [
    "integrity.view_legalrule",
    "integrity.add_legalrule",
    "integrity.change_legalrule",
    "integrity.view_judicialholiday",
    "integrity.add_judicialholiday",
    "integrity.change_judicialholiday",
]


def seed(apps, schema_editor):
    LegalRule = apps.get_model("integrity", "LegalRule")
    JudicialHoliday = apps.get_model("integrity", "JudicialHoliday")
    TestingRequest = apps.get_model("integrity", "TestingRequest")
    for values in RULES:
        LegalRule.objects.get_or_create(code=values["code"], version=values["version"], defaults=values)
    for day, name, note in judicial_holidays_seed(range(2014, 2037)):
        JudicialHoliday.objects.get_or_create(day=day, defaults={"name": name, "note": note})
    TestingRequest.objects.filter(served_ag_on__isnull=True, served_da_on__isnull=True).update(response_due_kept=True)
    roles.roles_grant(apps, roles.JTI_CHIEF, CHIEF)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("integrity", "0011_legal_rules"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
