"""Uploads: diary videos (what a file really is, by its first bytes, its size, and storage)
and the JSON files an import reads (:func:`json_upload`).

A phone names its videos ``.mp4`` or ``.mov`` and the browser sends a content type, but either
can be wrong (or chosen by anyone): the type is decided here from the file's own signature.
Accepted are the containers phones record in:

- ISO base media files, identified by the ``ftyp`` box at offset 4 (ISO/IEC 14496-12) and its
  major brand: MP4 (``isom``, ``mp41``, ``mp42``, ``avc1``...), QuickTime (``qt  ``) and 3GP
  (``3gp*``/``3g2*``). Older QuickTime files without ``ftyp`` start with a ``moov``, ``mdat``,
  ``wide``, ``free`` or ``skip`` atom. Brands of still images in the same box format (HEIF,
  AVIF) are refused: they are photos, not videos.
- WebM: the EBML magic ``1A 45 DF A3`` with the document type ``webm`` (a Matroska ``.mkv`` is
  refused: phones do not record it and browsers may not play it).

Everything else is refused with a message naming the file, what it looks like, and what is
accepted. The size limit is ``settings.SPASMCARE_VIDEO_MAX_BYTES`` (a software setting).

Files are stored under ``MEDIA_ROOT`` by the ``Video`` model with a random name (never the
name the phone sent) and served only through the ``video`` view, after the access check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

from spasmcare.errors import InputError
from spasmcare.record import parse_json
from spasmcare.web.clinic.models import Patient, User, Video

#: Bytes read to decide the type.
HEAD_BYTES = 64

ACCEPTED = "an MP4, QuickTime (MOV), WebM or 3GP video"


@dataclass(frozen=True)
class VideoType:
    name: str
    content_type: str
    extension: str


MP4 = VideoType("MP4 video", "video/mp4", ".mp4")
QUICKTIME = VideoType("QuickTime video", "video/quicktime", ".mov")
THREE_GP = VideoType("3GP video", "video/3gpp", ".3gp")
WEBM = VideoType("WebM video", "video/webm", ".webm")

#: ``ftyp`` major brands of still images (HEIF/AVIF photos share the box format).
IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)
#: First atoms of a QuickTime file written without an ``ftyp`` box.
OLD_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip"})

#: What a refused file looks like, by its first bytes (only to say so in the message).
OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"ID3", "an MP3 sound file"),
    (b"OggS", "an Ogg file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BM", "a BMP image"),
    (b"<", "a web page or XML text"),
)


def _big_endian(data: bytes) -> int:
    return int.from_bytes(data, "big")


def sniff(head: bytes) -> VideoType | str:
    """The accepted video type of a file starting with ``head``, or words saying what it is."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and _big_endian(head[:4]) >= 12:
        brand = head[8:12]
        if brand in IMAGE_BRANDS:
            return f"a HEIF/AVIF still image (brand {brand.decode('latin-1').strip()!r})"
        if brand == b"qt  ":
            return QUICKTIME
        if brand.startswith((b"3gp", b"3g2", b"3ge", b"3gg", b"3gs")):
            return THREE_GP
        return MP4
    if len(head) >= 8 and head[4:8] in OLD_QUICKTIME_ATOMS and _big_endian(head[:4]) >= 8:
        return QUICKTIME
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:HEAD_BYTES] else "a Matroska (MKV) video, not WebM"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "an AVI video"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "a WAV sound file"
    for magic, what in OTHER_SIGNATURES:
        if head.startswith(magic):
            return what
    if not head:
        return "an empty file"
    if re.fullmatch(rb"[\x09\x0a\x0d\x20-\x7e]*", head):
        return "a text file"
    return "a file of unknown type"


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def check_video(upload: UploadedFile) -> VideoType:
    """The type of an uploaded video; ``InputError`` naming the file when it is refused."""
    name = upload.name or "the file"
    limit = int(settings.SPASMCARE_VIDEO_MAX_BYTES)
    size = upload.size or 0
    if size > limit:
        raise InputError(
            "video",
            f"{name} ({_megabytes(size)})",
            f"{ACCEPTED} of at most {_megabytes(limit)}",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    found = sniff(head)
    if isinstance(found, str):
        raise InputError(
            "video", f"{name} (it is {found})", f"{ACCEPTED} of at most {_megabytes(limit)}"
        )
    return found


def store_video(patient: Patient, upload: UploadedFile, user: User) -> Video:
    """Check and store an upload as a ``Video`` of ``patient`` (file under ``MEDIA_ROOT``)."""
    kind = check_video(upload)
    video = Video(
        patient=patient,
        content_type=kind.content_type,
        extension=kind.extension,
        size_bytes=upload.size or 0,
        uploaded_by=user,
    )
    # the stored name comes from the model's upload_to (patient and random key), never the
    # phone's file name
    video.file.save(f"upload{kind.extension}", upload, save=False)
    video.save()
    return video


def discard_file(video: Video) -> None:
    """Remove a stored file whose row was never committed (a failed attach)."""
    if video.file and video.file.name:
        video.file.storage.delete(video.file.name)


#: At most 18 digits per position: no file is that large, and ``int`` never sees a huge number.
_RANGE = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$")


def serve_video(request: HttpRequest, video: Video) -> HttpResponseBase:
    """Stream a stored video inline, with single byte-range support (phones' and tablets'
    players ask for ranges and some will not play without them)."""
    try:
        size = video.file.size
        handle = video.file.open("rb")
    except OSError:
        raise Http404("The video file is missing from the data directory.") from None
    status = 200
    first, last = 0, size - 1
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match and size > 0 and (match.group(1) or match.group(2)):
        if match.group(1):
            first = int(match.group(1))
            last = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:
            first = max(size - int(match.group(2)), 0)
        if first > last or first >= size:
            handle.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        status = 206
    handle.seek(first)
    length = last - first + 1

    def chunks() -> Iterator[bytes]:
        remaining = length
        try:
            while remaining > 0:
                block = handle.read(min(64 * 1024, remaining))
                if not block:
                    break
                remaining -= len(block)
                yield block
        finally:
            handle.close()

    response = StreamingHttpResponse(chunks(), content_type=video.content_type, status=status)
    response["Content-Length"] = str(length)
    if status == 206:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = f'inline; filename="{video.key}{video.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def json_upload(upload: UploadedFile, what: str) -> Any:
    """The parsed JSON of an uploaded import file (``what``: "a record file", "a FHIR
    Bundle"), refused by name when larger than ``settings.SPASMCARE_IMPORT_MAX_BYTES``, not
    UTF-8 or not JSON."""
    limit = settings.SPASMCARE_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise InputError("file", upload.name, f"{what} of at most {limit / 2**20:g} MB")
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("file", upload.name, f"a UTF-8 JSON file ({exc})") from None
    return parse_json(text, "file")
