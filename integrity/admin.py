from integrity import admin_policies, admin_records, admin_training  # noqa: F401  (each part registers its models)
