"""How a user signs in and is found again on each request: Django's model backend, with the
read of the signed-in user compiled once per process (issue 21).

Every signed-in request reads its user by id; the ORM built and compiled that query anew
each time (about 0.2 ms of CPU on the 2-core reference machine, against 0.03 ms for the
compiled read, :class:`spasmcare.web.base.compiled.Compiled`). Signing in, the password
checks and who may sign in (``is_active``) are Django's, unchanged.

Sessions made before this backend existed name Django's own (:data:`DJANGO_BACKEND`);
:class:`spasmcare.web.accounts.sessions.SessionStore` reads them as naming this one, so
nobody is signed out by the change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends

from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic.models import User

#: This backend, as the settings and the sessions name it.
BACKEND = "spasmcare.web.accounts.backends.ModelBackend"
#: The backend the sessions of earlier versions name.
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"

_BY_ID: Compiled[User] = Compiled(lambda uid: User._default_manager.filter(pk=uid), (-1,))


class ModelBackend(backends.ModelBackend):
    """Django's model backend; :meth:`get_user` reads with SQL compiled once."""

    def get_user(self, user_id: Any) -> User | None:
        user = _BY_ID.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
