"""WSGI entry point: ``gunicorn spasmcare.web.wsgi``.

Each worker is warmed (:mod:`spasmcare.web.warmup`) while it loads the app, before it accepts
a connection, so the first sign-in after start-up is as fast as any later one.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.web.settings")
application = get_wsgi_application()

if os.environ.get("SPASMCARE_WARMUP", "1") != "0":
    from spasmcare.web.warmup import warm

    warm()
