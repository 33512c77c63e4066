#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that read the code and never sign anything may run without DJANGO_SECRET_KEY when
# DJANGO_DEBUG is off (jcr/settings.py gives them a throwaway key). Serving, migrating and
# `check --deploy` still require the real one.
KEYLESS_COMMANDS = {
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "makemessages",
    "compilemessages",
    "compile_translations",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ["JCR_KEYLESS_COMMAND"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
