# Each part of the unit registers its models in a module of its own.
from integrity import admin_training  # noqa: F401
