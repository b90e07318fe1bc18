"""The installation's pseudonym salt, shared by everything that shows a patient without a name.

The salt is HMAC-SHA-256(``settings.SECRET_KEY``, :data:`SALT_LABEL`) in hex, so a patient's
pseudonym (:func:`spasmcare.measures.cohort.pseudonym`) is stable for as long as the
installation keeps its secret key, and cannot be turned back into a record id (nor checked
against a guessed one) without that key. Changing the secret key changes every pseudonym. The
stored cohort rows (:mod:`spasmcare.web.patients.summaries`), the cohort page and the
de-identified bulk export all read it here.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

SALT_LABEL = b"spasmcare cohort pseudonym salt v1"


def cohort_salt() -> str:
    """The installation's pseudonym salt: HMAC-SHA-256(SECRET_KEY, SALT_LABEL), hex."""
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), SALT_LABEL, hashlib.sha256).hexdigest()
