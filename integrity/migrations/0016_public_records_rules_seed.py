"""The California Public Records Act's clocks in the legal rules registry, the permissions of
the JTI roles on public records requests, and the hourly reminder pass.

What was read (Gov. Code § 7922.535 as shown in the Legislature's bill comparison of AB 730
(2023-2024), news reports of SB 1034 (Stats. 2024, signed 18 July 2024) and of AB 370 (2025),
and secondary sources quoting former § 6253(c)):
- (a) within 10 days from receipt of the request, the agency determines whether the request,
  in whole or in part, seeks copies of disclosable public records, and promptly notifies the
  requester of the determination and the reasons; when disclosable, the estimated date and
  time the records will be made available;
- (b) in unusual circumstances the time may be extended by written notice from the head of
  the agency or a designee, setting forth the reasons and the date a determination is expected;
  no notice may specify a date that results in an extension of more than 14 days;
- (c) the unusual circumstances: (1) field facilities, (2) voluminous records, (3) consultation
  with another agency or among components, (4) compiling data or programming; (5) records
  during a Governor's state of emergency affecting the agency's ability to respond (SB 1034,
  from 2025); (6) a cyberattack making the electronic systems unreachable (AB 370, from 2026).
The same 10 and 14 days stood in former § 6253(c) (Stats. 1998, ch. 620) until the CPRA was
recodified from 1 January 2023 (AB 473, Stats. 2021, ch. 614, nonsubstantive).
Days are calendar days. Whether a last day on a weekend or holiday moves to the next business
day (Code Civ. Proc. §§ 12, 12a) is not settled for the CPRA: the office keeps the earlier
date ("roll": false); a new version with "roll": true changes that if counsel so advises."""

from datetime import date

from django.db import migrations

from jcr.accounts import roles

SECTION_URL = "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=GOV&sectionNum=7922.535"
AB473_URL = "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=202120220AB473"
SB1034_URL = "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=202320240SB1034"
AB370_URL = "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=202520260AB370"

FOUR = ["field_facilities", "voluminous", "consultation", "compiling_data"]
DETERMINATION = {"days": 10, "count": "calendar", "from": "received", "roll": False}
EXTENSION = {"days": 14, "count": "calendar", "from": "determination_period_end", "roll": False}
ROLL_NOTE = (
    ' Calendar days; the day of receipt is not counted. Not rolled to the next business day ("roll": false, the '
    "earlier reading; Code Civ. Proc. § 12a may allow it): confirm with counsel."
)

RULES = [
    {
        "code": "cpra-determination",
        "version": 1,
        "name": "CPRA: determination on a request for copies of records (former § 6253)",
        "citation": "Gov. Code former § 6253, subd. (c)",
        "official_url": AB473_URL,
        "effective_from": date(1999, 1, 1),
        "effective_to": date(2022, 12, 31),
        "parameters": DETERMINATION,
        "notes": (
            "Within 10 days from receipt of a request for a copy of records, the agency determines whether the "
            "request seeks copies of disclosable public records and promptly notifies the requester, with the "
            "reasons. Former § 6253(c) (Stats. 1998, ch. 620), repealed when AB 473 recodified the CPRA from "
            "1 January 2023. The start date of this version is approximate (the period stood earlier in former "
            "§ 6256): confirm it for requests received before 1999." + ROLL_NOTE
        ),
    },
    {
        "code": "cpra-determination",
        "version": 2,
        "name": "CPRA: determination on a request for copies of records",
        "citation": "Gov. Code § 7922.535, subd. (a)",
        "official_url": SECTION_URL,
        "effective_from": date(2023, 1, 1),
        "effective_to": None,
        "parameters": DETERMINATION,
        "notes": (
            'Read: "Each agency, upon a request for a copy of records, shall, within 10 days from receipt of the '
            "request, determine whether the request, in whole or in part, seeks copies of disclosable public "
            'records" and promptly notify the requester of the determination and the reasons; if disclosable, the '
            "estimated date and time when the records will be made available. Recodified from former § 6253(c) by "
            "AB 473 (nonsubstantive), in force 1 January 2023." + ROLL_NOTE
        ),
    },
    {
        "code": "cpra-extension",
        "version": 1,
        "name": "CPRA: extension in unusual circumstances (former § 6253)",
        "citation": "Gov. Code former § 6253, subd. (c)",
        "official_url": AB473_URL,
        "effective_from": date(1999, 1, 1),
        "effective_to": date(2022, 12, 31),
        "parameters": EXTENSION | {"reasons": FOUR},
        "notes": (
            "In unusual circumstances the time may be extended by written notice setting forth the reasons and the "
            "date a determination is expected, by no more than 14 days; four unusual circumstances (field "
            "facilities, voluminous records, consultation, compiling data). Counted here from the last day of the "
            "10-day period before any rolling." + ROLL_NOTE
        ),
    },
    {
        "code": "cpra-extension",
        "version": 2,
        "name": "CPRA: extension in unusual circumstances",
        "citation": "Gov. Code § 7922.535, subds. (b), (c)",
        "official_url": SECTION_URL,
        "effective_from": date(2023, 1, 1),
        "effective_to": date(2024, 12, 31),
        "parameters": EXTENSION | {"reasons": FOUR},
        "notes": (
            'Read: the time limit "may be extended by written notice from the head of the agency or a designee to '
            "the person making the request, setting forth the reasons for the extension and the date on which a "
            "determination is expected to be dispatched. No notice shall specify a date that would result in an "
            'extension for more than 14 days." Unusual circumstances, subd. (c)(1)-(4): field facilities; '
            "voluminous records in a single request; consultation with another agency or among components; "
            "compiling data or writing programming. Counted from the last day of the 10-day period before any "
            "rolling." + ROLL_NOTE
        ),
    },
    {
        "code": "cpra-extension",
        "version": 3,
        "name": "CPRA: extension in unusual circumstances (with a state of emergency)",
        "citation": "Gov. Code § 7922.535, subds. (b), (c) (as amended by SB 1034, Stats. 2024)",
        "official_url": SB1034_URL,
        "effective_from": date(2025, 1, 1),
        "effective_to": date(2025, 12, 31),
        "parameters": EXTENSION | {"reasons": [*FOUR, "state_of_emergency"]},
        "notes": (
            "SB 1034 (signed 18 July 2024, in force 1 January 2025 as read) added subd. (c)(5): searching for, "
            "collecting and examining records during a state of emergency proclaimed by the Governor in the "
            "agency's jurisdiction that currently affects its ability to respond in time (staffing shortages, "
            "closed facilities), except as specified. The in-force date was not read in the chaptered text: "
            "confirm." + ROLL_NOTE
        ),
    },
    {
        "code": "cpra-extension",
        "version": 4,
        "name": "CPRA: extension in unusual circumstances (with a cyberattack)",
        "citation": "Gov. Code § 7922.535, subds. (b), (c) (as amended by AB 370, Stats. 2025)",
        "official_url": SECTION_URL,
        "effective_from": date(2026, 1, 1),
        "effective_to": None,
        "parameters": EXTENSION | {"reasons": [*FOUR, "state_of_emergency", "cyberattack"]},
        "notes": (
            "AB 370 (2025) requires the state of emergency to directly affect the agency's ability to respond and "
            "adds an unusual circumstance: the agency cannot reach, because of a cyberattack, the electronic "
            "servers or systems that alone hold records it believes responsive. Read in a summary of the law "
            f"({AB370_URL}); in force 1 January 2026 as read: confirm against the section." + ROLL_NOTE
        ),
    },
]

WORK = "integrity.work_publicrecordsrequest"
CHIEF_VIEW = [
    "integrity.view_publicrecordsrequest",
    "integrity.view_gatheredrecord",
    "integrity.view_redaction",
    "integrity.view_release",
    "integrity.view_requeststep",
    "integrity.view_reminder",
]


def seed(apps, schema_editor):
    LegalRule = apps.get_model("integrity", "LegalRule")
    for values in RULES:
        LegalRule.objects.get_or_create(code=values["code"], version=values["version"], defaults=values)
    roles.roles_grant(apps, roles.JTI_STAFF, [WORK])
    roles.roles_grant(apps, roles.JTI_CHIEF, [WORK, *CHIEF_VIEW])
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name="Integrity: public records request reminders",
        defaults={"task": "integrity.publicrecords.reminders_send", "interval": hourly, "enabled": True},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("integrity", "0015_public_records"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
