"""The `silvershield` command: Django's management commands behind one name.

`silvershield demo`, `silvershield seed`, `silvershield users add …` and every stock command
(`migrate`, `createsuperuser`, …) run through here.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silvershield.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "silvershield"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
