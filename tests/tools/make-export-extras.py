#!/usr/bin/env python3
# Writes tests/estates/export-extras/: one account (666666666666) whose export holds the
# parts of issue 10 read late: Block Public Access, ownership and ACLs, an access point with
# its policy, a KMS grant, node groups with launch templates, a Fargate profile.
import json, os, sys
root = sys.argv[1]  # python3 tests/tools/make-export-extras.py tests/estates/export-extras
A = "666666666666"
R = "us-west-2"
def w(rel, obj, raw=False):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(obj if raw else json.dumps(obj, indent=4) + "\n")
def doc(statements):
    return {"Version": "2012-10-17", "Statement": statements}
def s3read(res):
    return doc([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": res}])
node_trust = doc([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}])
fargate_trust = doc([{"Effect": "Allow", "Principal": {"Service": "eks-fargate-pods.amazonaws.com"}, "Action": "sts:AssumeRole"}])
user_trust = doc([{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}])
def role(name, trust, policy):
    return {"Path": "/", "RoleName": name, "Arn": f"arn:aws:iam::{A}:role/{name}",
            "AssumeRolePolicyDocument": trust, "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": name + "-inline", "PolicyDocument": policy}],
            "AttachedManagedPolicies": [], "Tags": []}
a = f"accounts/{A}"
w(f"{a}/iam/get-account-authorization-details.json", {
    "UserDetailList": [], "GroupDetailList": [], "Policies": [],
    "RoleDetailList": [
        role("eks-node-open", node_trust, s3read("arn:aws:s3:::extras-data/eks-node-open/*")),
        role("eks-node-locked", node_trust, s3read("arn:aws:s3:::extras-data/eks-node-locked/*")),
        role("eks-fargate-pods", fargate_trust, s3read("arn:aws:s3:::extras-data/fargate/*")),
        # Their IAM policies name the bucket, not the access point: through it, only its policy grants.
        role("app-reader", user_trust, doc([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::extras-data/*"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}])),
        role("app-other", user_trust, doc([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::extras-data/*"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}])),
    ]})
w(f"{a}/iam/oidc-providers/EXTRAS0000000000000000000000000A.json",
  {"Url": f"oidc.eks.{R}.amazonaws.com/id/EXTRAS0000000000000000000000000A", "ClientIDList": ["sts.amazonaws.com"],
   "ThumbprintList": [], "Tags": []})
w(f"{a}/s3/s3control-get-public-access-block.json", {"PublicAccessBlockConfiguration": {
    "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}})
owner = "5e1d" * 16
def bucket(name, policy=None, bpa=None, ownership="BucketOwnerEnforced", grants=()):
    b = f"{a}/s3/{name}"
    w(f"{b}/get-bucket-location.json", {"LocationConstraint": R})
    if policy: w(f"{b}/get-bucket-policy.json", {"Policy": json.dumps(policy)})
    w(f"{b}/get-bucket-encryption.json", {"ServerSideEncryptionConfiguration": {"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}})
    if bpa is not None:
        w(f"{b}/get-public-access-block.json", {"PublicAccessBlockConfiguration": bpa})
    if ownership:
        w(f"{b}/get-bucket-ownership-controls.json", {"OwnershipControls": {"Rules": [{"ObjectOwnership": ownership}]}})
    w(f"{b}/get-bucket-acl.json", {"Owner": {"ID": owner}, "Grants":
        [{"Grantee": {"ID": owner, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}] + list(grants)})
public_read = lambda n: doc([{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                              "Resource": f"arn:aws:s3:::{n}/*"}])
bucket("extras-public-open", public_read("extras-public-open"))
bucket("extras-public-blocked", public_read("extras-public-blocked"),
       bpa={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
all_users_read = {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}
bucket("extras-acl-on", ownership=None, grants=[all_users_read])
bucket("extras-acl-enforced", grants=[all_users_read])
# The bucket delegates access control to its access points (the S3 user guide's policy).
bucket("extras-data", doc([{"Sid": "DelegateToAccessPoints", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": "*", "Resource": ["arn:aws:s3:::extras-data", "arn:aws:s3:::extras-data/*"],
        "Condition": {"StringEquals": {"s3:DataAccessPointAccount": A}}}]))
s3c = f"{a}/{R}/s3control"
ap_arn = f"arn:aws:s3:{R}:{A}:accesspoint/extras-ap"
w(f"{s3c}/list-access-points.json", {"AccessPointList": [{
    "Name": "extras-ap", "NetworkOrigin": "Internet", "Bucket": "extras-data", "AccessPointArn": ap_arn,
    "Alias": "extras-ap-0a1b2c3d4e5f6-s3alias", "BucketAccountId": A}]})
w(f"{s3c}/access-points/extras-ap/get-access-point.json", {
    "Name": "extras-ap", "Bucket": "extras-data", "NetworkOrigin": "Internet",
    "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                                       "RestrictPublicBuckets": True},
    "CreationDate": "2026-01-15T10:00:00+00:00", "Alias": "extras-ap-0a1b2c3d4e5f6-s3alias",
    "AccessPointArn": ap_arn, "BucketAccountId": A})
w(f"{s3c}/access-points/extras-ap/get-access-point-policy.json", {"Policy": json.dumps(doc([{
    "Sid": "ReaderOnly", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:role/app-reader"},
    "Action": "s3:GetObject", "Resource": ap_arn + "/object/*"}]))})
key = "6a7b8c9d-0000-4e5f-8a9b-0c1d2e3f4a5b"
k = f"{a}/{R}/kms/{key}"
w(f"{a}/{R}/kms/list-aliases.json", {"Aliases": []})
w(f"{k}/describe-key.json", {"KeyMetadata": {"AWSAccountId": A, "KeyId": key, "Arn": f"arn:aws:kms:{R}:{A}:key/{key}",
    "Enabled": True, "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled", "Origin": "AWS_KMS", "KeyManager": "CUSTOMER"}})
# The key policy lets only the account's root administer it; IAM policies alone do not use it.
w(f"{k}/get-key-policy.json", {"Policy": json.dumps(doc([{"Sid": "RootAdmin", "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": ["kms:Describe*", "kms:Put*", "kms:List*", "kms:Get*"],
    "Resource": "*"}])), "PolicyName": "default"})
w(f"{k}/list-grants.json", {"Grants": [{"KeyId": f"arn:aws:kms:{R}:{A}:key/{key}",
    "GrantId": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d", "Name": "reader-decrypt",
    "CreationDate": "2026-01-15T10:00:00+00:00", "GranteePrincipal": f"arn:aws:iam::{A}:role/app-reader",
    "IssuingAccount": f"arn:aws:iam::{A}:root", "Operations": ["Decrypt", "DescribeKey"]}], "Truncated": False})
c = f"{a}/{R}/eks/extras-eks"
w(f"{c}/describe-cluster.json", {"cluster": {"name": "extras-eks", "arn": f"arn:aws:eks:{R}:{A}:cluster/extras-eks",
    "identity": {"oidc": {"issuer": f"https://oidc.eks.{R}.amazonaws.com/id/EXTRAS0000000000000000000000000A"}},
    "status": "ACTIVE"}})
def group(name, role_name, lt_id, options, labels, taints=()):
    g = f"{c}/nodegroups/{name}"
    w(f"{g}/describe-nodegroup.json", {"nodegroup": {"nodegroupName": name, "clusterName": "extras-eks",
        "nodeRole": f"arn:aws:iam::{A}:role/{role_name}", "labels": labels, "taints": list(taints),
        "capacityType": "ON_DEMAND", "launchTemplate": {"name": name + "-lt", "version": "2", "id": lt_id},
        "status": "ACTIVE"}})
    w(f"{g}/describe-launch-template-versions.json", {"LaunchTemplateVersions": [{"LaunchTemplateId": lt_id,
        "VersionNumber": 2, "LaunchTemplateData": {"MetadataOptions": options}}]})
group("open", "eks-node-open", "lt-0e0e0e0e0e0e0e0e1", {"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
      {"pool": "open"})
group("locked", "eks-node-locked", "lt-0e0e0e0e0e0e0e0e2", {"HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled"},
      {"pool": "locked"}, [{"key": "dedicated", "value": "locked", "effect": "NO_SCHEDULE"}])
w(f"{c}/fargate-profiles/batch.json", {"fargateProfile": {"fargateProfileName": "batch", "clusterName": "extras-eks",
    "podExecutionRoleArn": f"arn:aws:iam::{A}:role/eks-fargate-pods", "selectors": [{"namespace": "batch", "labels": {}}],
    "status": "ACTIVE"}})
pod = lambda name, ns, sel, tol="": f"""- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: {name}
    namespace: {ns}
  spec:
    selector:
      matchLabels:
        app: {name}
    template:
      metadata:
        labels:
          app: {name}
      spec:
{sel}{tol}        containers:
        - name: main
          image: public.ecr.aws/docker/library/busybox:1.36
"""
sel = lambda pool: f"        nodeSelector:\n          pool: {pool}\n"
tol = "        tolerations:\n        - key: dedicated\n          operator: Equal\n          value: locked\n          effect: NoSchedule\n"
w(f"{c}/kubectl/get-all-A.yaml", "# kubectl get serviceaccounts,pods,deployments -A -o yaml\napiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n"
  + pod("on-open", "apps", sel("open")) + pod("on-locked", "apps", sel("locked"), tol) + pod("in-batch", "batch", sel("open")), raw=True)
