"""A QR code as inline SVG, drawn on the server with ``segno`` (no image request, no script:
the page's Content-Security-Policy allows neither a third-party service nor inline script).

Used for the family invitation link, so that a family member can open it by pointing a phone
camera at the printed page instead of typing a long address.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe

#: Error correction level "M" (about 15 % of the code may be damaged and still read): a printed
#: sheet may be folded or smudged. Software setting, not a clinical figure.
ERROR_LEVEL = "m"
#: Size of one QR module in CSS pixels (a ~30-module code prints about 4 cm wide).
MODULE_PX = 5


def qr_svg(text: str, label: str) -> SafeString:
    """The QR code for ``text`` as an ``<svg>`` element with ``label`` as its accessible name.

    segno writes only the path of the modules and the ``<title>``, which it escapes itself, so
    the markup is safe to put into the page as it is.
    """
    code = segno.make(text, error=ERROR_LEVEL, micro=False)
    svg = code.svg_inline(
        scale=MODULE_PX,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="invite-qr",
        lineclass=None,
        title=label,
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
