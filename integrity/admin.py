from integrity import admin_policies, admin_records  # noqa: F401  (each part registers its models)
