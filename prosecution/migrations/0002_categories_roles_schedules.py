"""The bureau's concern categories (editable in admin), the unit's permissions for its roles,
and the thumbnail sweep schedule."""

from django.db import migrations

from jcr.accounts import roles

CATEGORIES = [
    # code, name, name_es, group, sensitive, radius, questions
    ("blight", "Blight or neglected property", "Deterioro o propiedad abandonada", "Property", False, 100, [
        ("property_type", "What kind of property is it?", "¿Qué tipo de propiedad es?", "singlevaluelist", True,
         [("house", "House", "Casa"), ("apartment", "Apartment building", "Edificio de apartamentos"),
          ("lot", "Empty lot", "Terreno baldío"), ("business", "Business", "Negocio")]),
    ]),
    ("graffiti", "Graffiti", "Grafiti", "Property", False, 75, [
        ("surface", "Where is the graffiti?", "¿Dónde está el grafiti?", "singlevaluelist", True,
         [("building", "On a building", "En un edificio"), ("fence", "On a fence or wall", "En una cerca o muro"),
          ("public", "On public property (sign, pole, bench)", "En propiedad pública (letrero, poste, banca)")]),
        ("offensive", "Is it offensive or gang-related?", "¿Es ofensivo o relacionado con pandillas?", "singlevaluelist",
         False, [("yes", "Yes", "Sí"), ("no", "No", "No"), ("unsure", "Not sure", "No estoy seguro")]),
    ]),
    ("illegal-dumping", "Illegal dumping", "Basura tirada ilegalmente", "Environment", False, 150, [
        ("items", "What was dumped?", "¿Qué se tiró?", "multivaluelist", False,
         [("furniture", "Furniture or mattresses", "Muebles o colchones"), ("tires", "Tires", "Llantas"),
          ("construction", "Construction debris", "Escombros de construcción"),
          ("hazardous", "Chemicals or hazardous waste", "Químicos o desechos peligrosos"),
          ("household", "Household trash", "Basura doméstica")]),
    ]),
    ("encampment", "Homelessness or encampment", "Personas sin hogar o campamento", "People", False, 200, [
        ("tents", "About how many tents or shelters?", "¿Cuántas carpas o refugios hay, más o menos?", "number", False,
         []),
    ]),
    ("dangerous-building", "Dangerous or vacant building", "Edificio peligroso o desocupado", "Property", False, 100,
     []),
    ("absent-landlord", "Absent landlord", "Propietario ausente", "Property", False, 100, []),
    ("nuisance-business", "Nuisance business (bar, motel, store)", "Negocio problemático (bar, motel, tienda)",
     "Business", False, 150, [
        ("business_name", "Name of the business, if known", "Nombre del negocio, si lo sabe", "string", False, []),
    ]),
    ("drug-activity", "Drug activity", "Actividad de drogas", "Safety", False, 150, []),
    ("prostitution", "Prostitution", "Prostitución", "Safety", True, 200, []),
    ("squatters", "Squatters", "Ocupantes ilegales", "Property", True, 100, []),
    ("high-volume-911", "High-volume non-emergency 911 caller", "Llamadas repetidas al 911 sin emergencia", "Safety",
     True, 100, []),
]

GRANTS = {
    roles.COMMUNITY_PROSECUTOR: ["prosecution.view_concern", "prosecution.change_concern"],
    roles.CPU_SUPERVISOR: [
        "prosecution.view_concern",
        "prosecution.change_concern",
        "prosecution.view_all_concerns",
        "prosecution.view_category",
        "prosecution.change_category",
        "prosecution.add_category",
        "prosecution.view_question",
        "prosecution.change_question",
        "prosecution.add_question",
    ],
    roles.BUREAU_CHIEF: ["prosecution.view_concern", "prosecution.view_all_concerns"],
    roles.ADMINISTRATOR: [
        "prosecution.view_category",
        "prosecution.change_category",
        "prosecution.add_category",
        "prosecution.view_question",
        "prosecution.change_question",
        "prosecution.add_question",
        "prosecution.delete_question",
    ],
}


def forward(apps, schema_editor):
    Category = apps.get_model("prosecution", "Category")
    Question = apps.get_model("prosecution", "Question")
    for order, (code, name, name_es, group, sensitive, radius, questions) in enumerate(CATEGORIES, start=1):
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_es": name_es, "group": group, "is_sensitive": sensitive,
                      "duplicate_radius_m": radius, "order": order * 10},
        )
        if not created:
            continue
        for q_order, (q_code, prompt, prompt_es, datatype, required, options) in enumerate(questions, start=1):
            Question.objects.create(
                category=category, code=q_code, prompt=prompt, prompt_es=prompt_es, datatype=datatype,
                required=required, order=q_order * 10,
                options=[{"key": k, "name": n, "name_es": n_es} for k, n, n_es in options],
            )
    for role, labels in GRANTS.items():
        roles.roles_grant(apps, role, labels)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Concerns: make missing photo thumbnails",
        defaults={"task": "prosecution.tasks.concern_photo_thumbnails_sweep", "interval": every_5, "enabled": True},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
