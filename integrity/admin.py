from integrity import admin_records  # noqa: F401  (registers the confidential models)
