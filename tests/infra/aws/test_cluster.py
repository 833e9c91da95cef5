"""``engine: cluster``: everything an EMR cluster in private subnets needs before it can start.

Synthesizes the learning stack with ``engine: cluster`` (and ``acceptIdleCost``) and checks each
prerequisite on the recorded inputs: the instance profile named like its role, ``iam:PassRole`` for
that role, the EMR tag on every security group the cluster uses, the in-transit TLS certificate
object created before the security configuration, and the interface endpoints the nodes call.
"""

from __future__ import annotations

import json

from tests.infra.aws.support import bucket_named, by_urn, doc, of_type, one, statements, variation

EMR_TAG = "for-use-with-amazon-emr-managed-policies"


def test_instance_profile_has_the_name_of_its_role():
    # EMR refuses a profile whose name differs from its role's ("invalid instance profile").
    s = variation("cluster")
    profile = one(s, "aws:iam/instanceProfile:InstanceProfile")
    role = one(s, "aws:iam/role:Role", "processing-emr-instance-role")
    assert profile.inputs["name"] == role.inputs["name"] == profile.inputs["role"]
    assert profile.property_dependencies["name"] == [role.urn]
    cluster = one(s, "aws:emr/cluster:Cluster")
    assert profile.urn in cluster.property_dependencies["ec2Attributes"]


def test_service_role_may_pass_the_custom_instance_role_to_ec2():
    # AmazonEMRServicePolicy_v2 passes only EMR_EC2_DefaultRole.
    s = variation("cluster")
    service = one(s, "aws:iam/role:Role", "emr-service-role")
    instance = one(s, "aws:iam/role:Role", "processing-emr-instance-role")
    attachment = one(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "emr-service-pass-attachment")
    assert attachment.property_dependencies["role"] == [service.urn]
    policy = by_urn(s, attachment.property_dependencies["policyArn"][0])
    assert statements(doc(policy.inputs["policy"])) == [{
        "Sid": "PassTheInstanceRole", "Effect": "Allow", "Action": ["iam:PassRole"],
        "Resource": f"arn:aws:iam::123456789012:role/{instance.inputs['name']}",
        "Condition": {"StringLike": {"iam:PassedToService": "ec2.amazonaws.com*"}},
    }]
    assert attachment.urn in one(s, "aws:emr/cluster:Cluster").dependencies


def test_every_security_group_and_subnet_the_cluster_uses_carries_the_emr_tag():
    s = variation("cluster")
    cluster = one(s, "aws:emr/cluster:Cluster")
    used = [by_urn(s, u) for u in cluster.property_dependencies["ec2Attributes"]]
    groups = [r for r in used if r.type == "aws:ec2/securityGroup:SecurityGroup"]
    subnets = [r for r in used if r.type == "aws:ec2/subnet:Subnet"]
    assert len(groups) == 4 and len(subnets) == 1
    for resource in (*groups, *subnets):
        assert resource.inputs["tags"][EMR_TAG] == "true", resource.name
    additional = [g for g in groups if g.name.endswith("-processing-sg")]
    assert len(additional) == 1


def test_emr_managed_groups_drop_the_rules_emr_added_before_they_are_deleted():
    # EMR adds rules that reference one group from another; without revoking them first, deleting a group fails
    # with DependencyViolation and the stack cannot be destroyed.
    s = variation("cluster")
    managed = [g for g in of_type(s, "aws:ec2/securityGroup:SecurityGroup") if "-emr-" in g.name]
    assert sorted((g.name.rsplit("-emr-", 1)[1], g.inputs["revokeRulesOnDelete"]) for g in managed) == [
        ("core-sg", True), ("primary-sg", True), ("service-sg", True)]


def test_the_tls_certificate_object_exists_before_the_security_configuration_names_it():
    s = variation("cluster")
    processed = bucket_named(s, "processed").inputs["bucket"]
    certificates = one(s, "aws:s3/bucketObject:BucketObject")
    assert certificates.inputs["bucket"] == processed
    assert certificates.inputs["key"] == "_emr/tls/certificates.zip"
    assert certificates.inputs["serverSideEncryption"] == "aws:kms"
    assert certificates.inputs["kmsKeyId"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    security = one(s, "aws:emr/securityConfiguration:SecurityConfiguration")
    assert certificates.urn in security.dependencies
    tls = json.loads(security.inputs["configuration"])["EncryptionConfiguration"]["InTransitEncryptionConfiguration"]
    assert tls == {"TLSCertificateConfiguration": {
        "CertificateProviderType": "PEM", "S3Object": f"s3://{processed}/_emr/tls/certificates.zip"}}
    certificate = one(s, "tls:index/selfSignedCert:SelfSignedCert")
    assert certificate.inputs["dnsNames"] == ["*.ec2.internal"]
    assert one(s, "tls:index/privateKey:PrivateKey").inputs == {"algorithm": "RSA", "rsaBits": 2048}
    # Valid a year; Pulumi renews it in the last 30 days.
    assert (certificate.inputs["validityPeriodHours"], certificate.inputs["earlyRenewalHours"]) == (8760, 720)
    instance = statements(doc(one(s, "aws:iam/policy:Policy", "processing-emr-instance-policy").inputs["policy"]))
    assert {"Sid": "ReadTlsCertificates", "Effect": "Allow", "Action": ["s3:GetObject"],
            "Resource": f"arn:aws:s3:::{processed}/_emr/tls/certificates.zip"} in instance
    # EMR writes the cluster's logs from the nodes, to the log URI only.
    logs = bucket_named(s, "logs").inputs["bucket"]
    assert {"Sid": "WriteClusterLogs", "Effect": "Allow", "Action": ["s3:PutObject"],
            "Resource": f"arn:aws:s3:::{logs}/emr/*"} in instance


def test_nodes_reach_emr_and_the_key_through_interface_endpoints():
    s = variation("cluster")
    services = sorted(e.inputs["serviceName"] for e in of_type(s, "aws:ec2/vpcEndpoint:VpcEndpoint")
                      if e.inputs["vpcEndpointType"] == "Interface")
    assert services == ["com.amazonaws.us-east-1.elasticmapreduce", "com.amazonaws.us-east-1.glue",
                        "com.amazonaws.us-east-1.kms"]
    cluster = one(s, "aws:emr/cluster:Cluster")
    assert cluster.inputs["logEncryptionKmsKeyId"].startswith("arn:aws:kms:us-east-1:123456789012:key/")


def test_the_serverless_engine_tags_nothing_for_emr():
    from tests.conftest import synth

    s = synth("aws")
    for resource in (*of_type(s, "aws:ec2/securityGroup:SecurityGroup"), *of_type(s, "aws:ec2/subnet:Subnet")):
        assert EMR_TAG not in resource.inputs["tags"]
