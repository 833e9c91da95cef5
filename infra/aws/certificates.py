"""Certificates: the PEM bundle an EMR cluster's in-transit encryption reads from S3.

An EMR security configuration with ``CertificateProviderType: PEM`` names a
zip in S3 that must exist before the cluster starts (EMR Management Guide,
"Providing certificates for encrypting data in transit"). The stack makes it
itself: a self-signed certificate (``pulumi-tls``) for the nodes' private DNS
names (``*.ec2.internal`` in us-east-1, ``*.<region>.compute.internal``
elsewhere), zipped as ``privateKey.pem``, ``certificateChain.pem`` and
``trustedCertificates.pem``, and uploaded with the stack key. The private key
lives in the stack state as a secret and in the bucket under the key; a new
certificate is made on the first ``pulumi up`` within 30 days of expiry.
"""

from __future__ import annotations

import base64
import io
import zipfile

import pulumi
import pulumi_aws as aws
import pulumi_tls as tls

from components.context import StageContext

VALIDITY_HOURS = 24 * 365
RENEWAL_HOURS = 24 * 30
ARCHIVE_TIME = (2020, 1, 1, 0, 0, 0)
"""A fixed member timestamp keeps the archive, and so the object, identical for the same PEMs."""


def node_domain(region: str) -> str:
    """The private DNS domain of EC2 instances in ``region``."""
    return "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"


def pem_zip(private_key_pem: str, certificate_pem: str) -> str:
    """The base64 of the zip EMR reads: the key, the chain and the trusted certificates (self-signed: the same)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, text in (("privateKey.pem", private_key_pem), ("certificateChain.pem", certificate_pem),
                             ("trustedCertificates.pem", certificate_pem)):
            archive.writestr(zipfile.ZipInfo(member, date_time=ARCHIVE_TIME), text)
    return base64.b64encode(buffer.getvalue()).decode()


def emr_tls_certificates(
    name: str, ctx: StageContext, bucket: pulumi.Input[str], key: str, tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.s3.BucketObject:
    """Create ``{name}-emr-tls-key``, ``{name}-emr-tls-certificate`` and the object ``{name}-emr-tls-certificates``."""
    domain = node_domain(ctx.config.aws.region)
    private_key = tls.PrivateKey(f"{name}-emr-tls-key", algorithm="RSA", rsa_bits=2048, opts=opts)
    certificate = tls.SelfSignedCert(
        f"{name}-emr-tls-certificate",
        private_key_pem=private_key.private_key_pem,
        subject=tls.SelfSignedCertSubjectArgs(common_name=f"*.{domain}", organization=ctx.project),
        dns_names=[f"*.{domain}"],
        validity_period_hours=VALIDITY_HOURS,
        early_renewal_hours=RENEWAL_HOURS,
        allowed_uses=["key_encipherment", "digital_signature", "server_auth", "client_auth"],
        opts=opts,
    )
    bundle = pulumi.Output.secret(pulumi.Output.all(private_key.private_key_pem, certificate.cert_pem).apply(
        lambda pems: pem_zip(pems[0], pems[1])))
    return aws.s3.BucketObject(
        f"{name}-emr-tls-certificates",
        bucket=bucket,
        key=key,
        content_base64=bundle,
        content_type="application/zip",
        server_side_encryption="aws:kms",
        kms_key_id=ctx.foundation.key_arn,
        tags=tags,
        opts=opts,
    )
