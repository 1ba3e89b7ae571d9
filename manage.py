#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nicepick.settings")
    if "DJANGO_SECRET_KEY" not in os.environ:
        # No production configuration at all: a developer's machine, so development mode.
        # Production sets DJANGO_SECRET_KEY (and DJANGO_DEBUG=0); the web server (wsgi.py)
        # never defaults to development and refuses to start without a real secret key.
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
