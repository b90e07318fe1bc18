"""Issue 20 (4): request bodies are refused from Content-Length before they are read (413, the
family video form says why), and a body without Content-Length (chunked) is read with a running
limit."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from spasmcare.web.accounts import body_limit
from spasmcare.web.models import Patient, Video
from tests.web.family.test_family import MP4_BYTES, family, log_cluster  # noqa: F401 - a fixture

TWO_GB = 2 * 1024**3


class Unreadable(io.RawIOBase):
    """A request body that must not be read: any read fails the test."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the request body was read")

    def readline(self, size: int | None = -1) -> bytes:
        raise AssertionError("the request body was read")


class Endless(io.RawIOBase):
    """A chunked body that never ends; counts what was read of it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = 4096 if size is None or size < 0 else size
        self.taken += n
        return b"\x00" * n


def post_raw(client: Client, path: str, stream: Any, length: int | None, **extra: str) -> Any:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "wsgi.input": stream,
        **extra,
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return client.request(**environ)


def test_declared_two_gb_video_refused_before_the_body_is_read(
    family: Client,  # noqa: F811
    patient: Patient,
) -> None:
    log_cluster(family, patient, 5)
    path = reverse("family_video", args=[patient.pk])
    response = post_raw(family, path, Unreadable(), TWO_GB)
    assert response.status_code == 413
    text = response.content.decode()
    # the diary page, with the video form saying why (2 GiB = 2,048 MiB; limit 100 MiB)
    assert "The video was not saved: a request of 2,048.0 MB is not accepted" in text
    assert "a file of at most 100.0 MB" in text
    assert 'action="/family/' in text and "Add a short video" in text
    assert Video.objects.count() == 0


def test_declared_oversize_import_refused_and_strangers_only_redirected(
    client_as: Any, patient: Patient
) -> None:
    path = reverse("fhir_import", args=[patient.pk])
    response = post_raw(client_as("nurse"), path, Unreadable(), TWO_GB)
    assert response.status_code == 413
    assert "a file of at most 20.0 MB" in response.content.decode()
    # not signed in: the access check answers first (to the sign-in page), nothing is read
    response = post_raw(Client(), path, Unreadable(), TWO_GB)
    assert response.status_code == 302 and "/login/" in response["Location"]
    # an ordinary form page: the request limit (5 MB)
    response = post_raw(client_as("nurse"), "/patients/", Unreadable(), 6 * 1024 * 1024)
    assert response.status_code == 413
    assert "at most 5.0 MB for this page" in response.content.decode()


def test_chunked_upload_inside_the_limit_is_stored(
    family: Client,  # noqa: F811
    patient: Patient,
) -> None:
    entry = log_cluster(family, patient, 5)
    body = encode_multipart(
        BOUNDARY,
        {
            "entry": str(entry.pk),
            "version": str(entry.version),
            "video": SimpleUploadedFile("clip.mp4", MP4_BYTES, content_type="video/mp4"),
        },
    )
    path = reverse("family_video", args=[patient.pk])
    response = post_raw(family, path, io.BytesIO(body), None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 302
    assert Video.objects.get(patient=patient).size_bytes == len(MP4_BYTES)


def test_chunked_body_over_the_limit_is_cut_off(
    family: Client,  # noqa: F811
    patient: Patient,
    settings: Any,
) -> None:
    settings.SPASMCARE_VIDEO_MAX_BYTES = 100_000
    settings.SPASMCARE_FORM_OVERHEAD_BYTES = 0
    log_cluster(family, patient, 5)
    stream = Endless()
    path = reverse("family_video", args=[patient.pk])
    response = post_raw(family, path, stream, None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 413
    assert "a request over the limit is not accepted" in response.content.decode()
    assert stream.taken <= 100_000 + body_limit.CHUNK_BYTES
    assert Video.objects.count() == 0


class Broken(io.RawIOBase):
    """A chunked body whose encoding breaks after the first read (as the server reports it)."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        if self.reads > 1:
            raise OSError("Invalid chunk size")
        return b"x" * 100


def test_broken_chunked_body_is_a_400(
    family: Client,  # noqa: F811
    patient: Patient,
) -> None:
    path = reverse("family_video", args=[patient.pk])
    response = post_raw(family, path, Broken(), None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 400
