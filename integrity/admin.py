from integrity import admin_policies  # noqa: F401
