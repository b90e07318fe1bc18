"""WSGI entry point: ``gunicorn spasmcare.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.web.settings")
application = get_wsgi_application()
