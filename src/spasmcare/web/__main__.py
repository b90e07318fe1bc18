"""``python -m spasmcare.web <command>``: Django's manage.py for the clinic app."""

import os
import sys

from django.core.management import execute_from_command_line

from spasmcare.web.base import datadir


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.web.settings")
    datadir.prepare()  # the settings only name it; the app starts here
    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
