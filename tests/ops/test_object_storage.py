"""Uploads in S3-compatible object storage, end to end: the storage that clinic.settings.production
makes of AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL, against a real S3 API on loopback, through
the app's own pages. An attorney uploads evidence and downloads the same bytes through the
access-checked view; another clinic's attorney gets 404; the object is private (no address serves
it without a signature, and a signed one expires in a minute); deleting the document deletes the
object; a client spreadsheet is read back from the bucket by the import's check.

The S3 API is moto in server mode (`moto_server`, PyPI `moto[server]`, requirements-dev.txt): of the
S3-compatible servers, it is the only one installable here from PyPI, Debian or npm. It is a
separate process on a free loopback port, spoken to over HTTP by boto3 as a real store would be.
"""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, Evidence
from clients import services as client_services
from clients.models import ClientImport
from clinic.models import Membership
from tests.cases import evidence_files as files
from tests.clients.import_files import GOOD_ROWS, csv_bytes
from tests.ops.production_settings import production_settings

Role = Membership.Role
BUCKET = "amparo-evidence-test"
MOTO_SERVER = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "moto_server"
DETAILS = {"category": "declaration", "language": "es", "translation": "needed"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """moto's S3 API on loopback, for this module."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"moto_server did not start: {log.read_text()}"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(endpoint, monkeypatch):
    """A new private bucket, and boto3 pointed at it (keys and region as a deployment sets them)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "amparo-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "amparo-test-secret")
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )  # fmt: skip
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def object_storage(bucket, endpoint, settings, tmp_path):
    """The test run's default storage replaced by exactly what production.py builds for this bucket;
    MEDIA_ROOT an empty folder, to see that nothing lands on local disk."""
    storages = production_settings(
        AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_ENDPOINT_URL=endpoint, AWS_S3_REGION_NAME="us-east-1"
    )["STORAGES"]
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": storages["default"]}
    settings.MEDIA_ROOT = tmp_path / "media"
    return bucket


def stored_keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def open_case(clinic_staff) -> Case:
    client = client_services.client_create(actor=clinic_staff[Role.INTAKE], data={"given_names": "Javier"})
    attorney = clinic_staff[Role.ATTORNEY]
    return case_services.case_open(
        actor=attorney, client=client, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )


def test_evidence_goes_to_the_bucket_and_comes_back_only_through_the_app(
    object_storage, endpoint, settings, staff, outsiders, as_user, django_capture_on_commit_callbacks
):
    case = open_case(staff)
    content = files.pdf_bytes(pages=2, text="Declaración de Javier")
    browser = as_user(staff[Role.ATTORNEY])
    response = browser.post(
        reverse("cases:evidence-upload", args=[case.pk]),
        {**DETAILS, "files": [files.upload("Declaración Javier.pdf", content)]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case)
    # In the bucket, under the generated name, and nowhere on local disk.
    assert stored_keys(object_storage) == [evidence.file.name]
    assert object_storage.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read() == content
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))

    download = reverse("cases:evidence-download", args=[case.pk, evidence.pk])
    response = browser.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"

    as_user(outsiders[Role.ATTORNEY])
    assert browser.get(download).status_code == 404

    # Private: the object's own address answers only a signed request, and a signature lasts 60 s.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{BUCKET}/{evidence.file.name}", timeout=10)  # noqa: S310 (loopback)
    assert refused.value.code == 403
    grants = object_storage.get_object_acl(Bucket=BUCKET, Key=evidence.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"
    assert parse_qs(urlsplit(evidence.file.url).query)["X-Amz-Expires"] == ["60"]

    as_user(staff[Role.ATTORNEY])
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("cases:evidence-delete", args=[case.pk, evidence.pk]))
    assert response.status_code == 302
    assert stored_keys(object_storage) == []


def test_a_client_spreadsheet_is_read_back_from_the_bucket(
    object_storage, staff, as_user, django_capture_on_commit_callbacks
):
    browser = as_user(staff[Role.INTAKE])
    with django_capture_on_commit_callbacks(execute=True):  # the check runs in-process (eager) after commit
        response = browser.post(
            reverse("clients:import-upload"), {"file": files.upload("clients.csv", csv_bytes(GOOD_ROWS))}
        )
    assert response.status_code == 302
    client_import = ClientImport.objects.get()
    assert (client_import.status, client_import.total_rows, client_import.valid_rows) == (
        ClientImport.Status.VALIDATED, len(GOOD_ROWS), len(GOOD_ROWS),
    )  # fmt: skip
    assert stored_keys(object_storage) == [client_import.file.name]
