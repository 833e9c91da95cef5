"""Certificates: the PEM zip EMR's in-transit encryption reads."""

from __future__ import annotations

import base64
import io
import zipfile

from infra.aws.certificates import node_domain, pem_zip


def test_the_certificate_zip_holds_the_three_files_emr_reads_and_is_stable():
    encoded = pem_zip("KEY", "CERT")
    assert encoded == pem_zip("KEY", "CERT")
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded)))
    assert {n: archive.read(n).decode() for n in archive.namelist()} == {
        "privateKey.pem": "KEY", "certificateChain.pem": "CERT", "trustedCertificates.pem": "CERT"}
    # The member timestamp is fixed for good: another one would change the object's bytes, and every
    # deployed stack would rewrite its certificate object on its next update.
    assert {info.date_time for info in archive.infolist()} == {(2020, 1, 1, 0, 0, 0)}


def test_certificates_name_the_regional_node_domain():
    assert node_domain("us-east-1") == "ec2.internal"
    assert node_domain("eu-west-1") == "eu-west-1.compute.internal"
