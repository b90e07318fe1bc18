"""WSGI entry point: ``gunicorn spasmcare.web.wsgi``.

The data directory is made ready first (:func:`spasmcare.web.base.datadir.prepare`). Each
worker is warmed (:mod:`spasmcare.web.operations.warmup`) while it loads the app, before it
accepts a connection, so the first sign-in after start-up is as fast as any later one.
Loading the app takes the data directory's serving lock
(:func:`spasmcare.web.base.serving.hold_while_serving`), held until the process ends, so a
restore refuses to run under it. Then the objects loaded are set aside from the garbage
collector (:func:`spasmcare.web.base.serving.settle_memory`).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from spasmcare.web.base import datadir
from spasmcare.web.base.serving import hold_while_serving, settle_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.web.settings")
datadir.prepare()  # the settings only name it; the app starts here
application = get_wsgi_application()
hold_while_serving(settings.DATA_DIR)

if os.environ.get("SPASMCARE_WARMUP", "1") != "0":
    from spasmcare.web.operations.warmup import warm

    warm()
settle_memory()  # after warming: what it loaded is kept for the process's life
