from outreach import admin_dialogues  # noqa: F401  (registers the community dialogues' models)
