import pulumi
import pulumi_aws as aws

pulumi.export("ami", aws.ec2.get_ami_output(most_recent=True, owners=["amazon"]).id)
