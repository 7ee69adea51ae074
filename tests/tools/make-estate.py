#!/usr/bin/env python3
# Writes tests/estates/: an export folder (docs/exports.md) and an iam-collect
# folder of one invented estate, the policies and kubectl list of equivalent.yaml.
#   python3 tests/tools/make-estate.py tests/estates
import json, os, urllib.parse, sys
base = sys.argv[1]
V = "2012-10-17"
ORG, MGMT, APPS, DATA = "o-estate12345", "333333333333", "444444444444", "555555555555"
ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9"
KEY = "0f6c2a9e-3b1d-4e7a-9c55-7d2e1f0a4b3c"
BUCKET = "estate-data-prod"
KEY_ARN = f"arn:aws:kms:us-west-2:{DATA}:key/{KEY}"

reader_trust = {"Version": V, "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": f"arn:aws:iam::{APPS}:oidc-provider/{ISSUER}"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {f"{ISSUER}:sub": "system:serviceaccount:analytics:reader", f"{ISSUER}:aud": "sts.amazonaws.com"}}}]}
reader_policy = {"Version": V, "Statement": [
  {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/reports/*"]},
  {"Sid": "DecryptReports", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY_ARN},
  {"Sid": "LooksAtRoles", "Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}]}
writer_trust = {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}
writer_policy = {"Version": V, "Statement": [
  {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": f"arn:aws:s3:::{BUCKET}/incoming/*"},
  {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": KEY_ARN}]}
boundary_v2 = {"Version": V, "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:Put*", "s3:Delete*", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}]}
boundary_v1 = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ops_read = {"Version": V, "Statement": [{"Effect": "Allow", "Action": ["eks:Describe*", "s3:Get*"], "Resource": "*"}]}
ci_inline = {"Version": V, "Statement": [{"Effect": "Deny", "Action": "eks:DescribeNodegroup", "Resource": "*"}]}
bucket_policy = {"Version": V, "Statement": [
  {"Sid": "Readers", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{APPS}:role/analytics/data-reader"}, "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]},
  {"Sid": "Writers", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{APPS}:role/pod-writer"}, "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": f"arn:aws:s3:::{BUCKET}/incoming/*"},
  {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
key_policy = {"Version": V, "Id": "estate-key", "Statement": [
  {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DATA}:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "AppsThroughS3", "Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{APPS}:role/analytics/data-reader", f"arn:aws:iam::{APPS}:role/pod-writer"]}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}]}
no_deletes = {"Version": V, "Statement": [{"Sid": "NoDeletes", "Effect": "Deny", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": "*"}]}
org_only = {"Version": V, "Statement": [{"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": ["s3:*", "kms:*"], "Resource": "*",
  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}
VPCE = "vpce-0e57a1b2c3d4e5f60"
endpoint_policy = {"Version": V, "Statement": [{"Sid": "ReadsOnly", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}
full = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
docs = dict(reader_trust=reader_trust, reader_policy=reader_policy, writer_trust=writer_trust, writer_policy=writer_policy,
  boundary=boundary_v2, ops_read=ops_read, ci_inline=ci_inline, bucket_policy=bucket_policy, key_policy=key_policy,
  no_deletes=no_deletes, org_only=org_only, endpoint_policy=endpoint_policy)

K8S = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: reader
    namespace: analytics
    annotations:
      eks.amazonaws.com/role-arn: arn:aws:iam::444444444444:role/analytics/data-reader
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: writer
    namespace: analytics
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: report-builder
    namespace: analytics
  spec:
    selector:
      matchLabels: {app: report-builder}
    template:
      metadata:
        labels: {app: report-builder}
      spec:
        serviceAccountName: reader
        containers:
        - name: main
          image: example.com/report-builder:1.4
metadata:
  resourceVersion: ""
"""

def w(path, obj, raw=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(obj if raw else json.dumps(obj, indent=4) + "\n")

def enc(d):  # as IAM's API returns a document
    return urllib.parse.quote(json.dumps(d, separators=(",", ":")), safe="")

def gaad(account, encode):
    doc = (lambda d: enc(d)) if encode else (lambda d: d)
    if account == APPS:
        return {
          "UserDetailList": [{"Path": "/automation/", "UserName": "ci-bot", "UserId": "AIDAESTATEUSER000001",
            "Arn": f"arn:aws:iam::{APPS}:user/automation/ci-bot", "CreateDate": "2025-03-01T09:00:00+00:00",
            "UserPolicyList": [{"PolicyName": "no-nodegroups", "PolicyDocument": doc(ci_inline)}],
            "GroupList": ["ops"], "AttachedManagedPolicies": [], "Tags": [{"Key": "owner", "Value": "platform"}]}],
          "GroupDetailList": [{"Path": "/", "GroupName": "ops", "GroupId": "AGPAESTATEGROUP00001", "Arn": f"arn:aws:iam::{APPS}:group/ops",
            "CreateDate": "2025-03-01T09:00:00+00:00", "GroupPolicyList": [],
            "AttachedManagedPolicies": [{"PolicyName": "ops-read", "PolicyArn": f"arn:aws:iam::{APPS}:policy/ops-read"},
                                        {"PolicyName": "ops-extra", "PolicyArn": f"arn:aws:iam::{APPS}:policy/ops-extra"}]}],
          "RoleDetailList": [
            {"Path": "/analytics/", "RoleName": "data-reader", "RoleId": "AROAESTATEROLE000001", "Arn": f"arn:aws:iam::{APPS}:role/analytics/data-reader",
             "CreateDate": "2025-04-01T10:00:00+00:00", "AssumeRolePolicyDocument": doc(reader_trust), "InstanceProfileList": [],
             "RolePolicyList": [{"PolicyName": "read-reports", "PolicyDocument": doc(reader_policy)}], "AttachedManagedPolicies": [],
             "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": f"arn:aws:iam::{APPS}:policy/apps-boundary"},
             "Tags": [{"Key": "team", "Value": "analytics"}], "RoleLastUsed": {}},
            {"Path": "/", "RoleName": "pod-writer", "RoleId": "AROAESTATEROLE000002", "Arn": f"arn:aws:iam::{APPS}:role/pod-writer",
             "CreateDate": "2025-04-01T10:00:00+00:00", "AssumeRolePolicyDocument": doc(writer_trust), "InstanceProfileList": [],
             "RolePolicyList": [{"PolicyName": "write-incoming", "PolicyDocument": doc(writer_policy)}], "AttachedManagedPolicies": [],
             "Tags": [], "RoleLastUsed": {}}],
          "Policies": [
            {"PolicyName": "apps-boundary", "PolicyId": "ANPAESTATEPOLICY0001", "Arn": f"arn:aws:iam::{APPS}:policy/apps-boundary", "Path": "/",
             "DefaultVersionId": "v2", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1, "IsAttachable": True,
             "CreateDate": "2025-01-01T00:00:00+00:00", "UpdateDate": "2025-05-01T00:00:00+00:00",
             "PolicyVersionList": [{"Document": doc(boundary_v1), "VersionId": "v1", "IsDefaultVersion": False, "CreateDate": "2025-01-01T00:00:00+00:00"},
                                   {"Document": doc(boundary_v2), "VersionId": "v2", "IsDefaultVersion": True, "CreateDate": "2025-05-01T00:00:00+00:00"}]},
            {"PolicyName": "ops-read", "PolicyId": "ANPAESTATEPOLICY0002", "Arn": f"arn:aws:iam::{APPS}:policy/ops-read", "Path": "/",
             "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
             "CreateDate": "2025-01-01T00:00:00+00:00", "UpdateDate": "2025-01-01T00:00:00+00:00",
             "PolicyVersionList": [{"Document": doc(ops_read), "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": "2025-01-01T00:00:00+00:00"}]}]}
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}

def export_folder(root):
    o = f"{root}/organizations"
    w(f"{o}/describe-organization.json", {"Organization": {"Id": ORG, "Arn": f"arn:aws:organizations::{MGMT}:organization/{ORG}", "FeatureSet": "ALL",
       "MasterAccountArn": f"arn:aws:organizations::{MGMT}:account/{ORG}/{MGMT}", "MasterAccountId": MGMT, "MasterAccountEmail": "cloud@example.org"}})
    w(f"{o}/list-roots.json", {"Roots": [{"Id": "r-es12", "Arn": f"arn:aws:organizations::{MGMT}:root/{ORG}/r-es12", "Name": "Root",
       "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}, {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"}]}]})
    w(f"{o}/list-organizational-units-for-parent.r-es12.json", {"OrganizationalUnits": [{"Id": "ou-es12-work0001", "Arn": f"arn:aws:organizations::{MGMT}:ou/{ORG}/ou-es12-work0001", "Name": "workloads"}]})
    w(f"{o}/list-organizational-units-for-parent.ou-es12-work0001.json", {"OrganizationalUnits": []})
    acct = lambda i, n: {"Id": i, "Arn": f"arn:aws:organizations::{MGMT}:account/{ORG}/{i}", "Email": f"{n}@example.org", "Name": n, "Status": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": "2024-06-01T00:00:00+00:00"}
    w(f"{o}/list-accounts-for-parent.r-es12.json", {"Accounts": [acct(MGMT, "management")]})
    w(f"{o}/list-accounts-for-parent.ou-es12-work0001.json", {"Accounts": [acct(APPS, "apps"), acct(DATA, "data")]})
    pol = lambda i, n, t, m: {"Id": i, "Arn": f"arn:aws:organizations::{'aws' if m else MGMT}:policy/{'' if m else ORG + '/'}{t.lower()}/{i}", "Name": n, "Description": "", "Type": t, "AwsManaged": m}
    w(f"{o}/list-policies.SERVICE_CONTROL_POLICY.json", {"Policies": [pol("p-FullAWSAccess", "FullAWSAccess", "SERVICE_CONTROL_POLICY", True), pol("p-nodel0001", "no-deletes", "SERVICE_CONTROL_POLICY", False)]})
    w(f"{o}/list-policies.RESOURCE_CONTROL_POLICY.json", {"Policies": [pol("p-RCPFullAWSAccess", "RCPFullAWSAccess", "RESOURCE_CONTROL_POLICY", True), pol("p-orgonly001", "org-only", "RESOURCE_CONTROL_POLICY", False)]})
    w(f"{o}/describe-policy.p-FullAWSAccess.json", {"Policy": {"PolicySummary": pol("p-FullAWSAccess", "FullAWSAccess", "SERVICE_CONTROL_POLICY", True), "Content": json.dumps(full, indent=4)}})
    w(f"{o}/describe-policy.p-nodel0001.json", {"Policy": {"PolicySummary": pol("p-nodel0001", "no-deletes", "SERVICE_CONTROL_POLICY", False), "Content": json.dumps(no_deletes, indent=2)}})
    w(f"{o}/describe-policy.p-orgonly001.json", {"Policy": {"PolicySummary": pol("p-orgonly001", "org-only", "RESOURCE_CONTROL_POLICY", False), "Content": json.dumps(org_only, indent=2)}})
    tgt = lambda i, t: {"TargetId": i, "Arn": "arn:aws:organizations::x", "Name": i, "Type": t}
    w(f"{o}/list-targets-for-policy.p-FullAWSAccess.json", {"Targets": [tgt("r-es12", "ROOT"), tgt("ou-es12-work0001", "ORGANIZATIONAL_UNIT"), tgt(MGMT, "ACCOUNT"), tgt(APPS, "ACCOUNT"), tgt(DATA, "ACCOUNT")]})
    w(f"{o}/list-targets-for-policy.p-nodel0001.json", {"Targets": [tgt("ou-es12-work0001", "ORGANIZATIONAL_UNIT")]})
    w(f"{o}/list-targets-for-policy.p-orgonly001.json", {"Targets": [tgt("r-es12", "ROOT")]})
    a = f"{root}/accounts/{APPS}"
    w(f"{a}/iam/get-account-authorization-details.json", gaad(APPS, True))
    w(f"{a}/iam/oidc-providers/0A1B2C3D4E5F60718293A4B5C6D7E8F9.json", {"Url": ISSUER, "ClientIDList": ["sts.amazonaws.com"], "ThumbprintList": ["0123456789abcdef0123456789abcdef01234567"], "CreateDate": "2025-04-01T09:00:00+00:00", "Tags": []})
    c = f"{a}/us-west-2/eks/apps-prod"
    w(f"{c}/describe-cluster.json", {"cluster": {"name": "apps-prod", "arn": f"arn:aws:eks:us-west-2:{APPS}:cluster/apps-prod", "version": "1.31",
       "roleArn": f"arn:aws:iam::{APPS}:role/eks-cluster", "identity": {"oidc": {"issuer": "https://" + ISSUER}}, "status": "ACTIVE", "tags": {}}})
    w(f"{c}/pod-identity-associations/a-0writer00000001.json", {"association": {"clusterName": "apps-prod", "namespace": "analytics", "serviceAccount": "writer",
       "roleArn": f"arn:aws:iam::{APPS}:role/pod-writer", "associationArn": f"arn:aws:eks:us-west-2:{APPS}:podidentityassociation/apps-prod/a-0writer00000001",
       "associationId": "a-0writer00000001", "disableSessionTags": False, "tags": {}, "createdAt": "2026-01-05T08:00:00+00:00"}})
    w(f"{c}/kubectl/get-all-A.yaml", K8S, raw=True)
    w(f"{a}/us-west-2/ec2/describe-vpc-endpoints.json", {"VpcEndpoints": [{"VpcEndpointId": VPCE, "VpcEndpointType": "Gateway", "VpcId": "vpc-0a1b2c3d4e5f60718",
       "ServiceName": "com.amazonaws.us-west-2.s3", "State": "available", "PolicyDocument": json.dumps(endpoint_policy, indent=4),
       "RouteTableIds": ["rtb-0a1b2c3d4e5f60718"], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False, "RequesterManaged": False,
       "NetworkInterfaceIds": [], "DnsEntries": [], "CreationTimestamp": "2025-04-01T09:30:00+00:00", "Tags": [], "OwnerId": APPS}]})
    d = f"{root}/accounts/{DATA}"
    w(f"{d}/iam/get-account-authorization-details.json", gaad(DATA, False))
    b = f"{d}/s3/{BUCKET}"
    w(f"{b}/get-bucket-location.json", {"LocationConstraint": "us-west-2"})
    w(f"{b}/get-bucket-policy.json", {"Policy": json.dumps(bucket_policy, separators=(",", ":"))})
    w(f"{b}/get-bucket-encryption.json", {"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/estate-data"}, "BucketKeyEnabled": True}]}})
    w(f"{b}/get-bucket-tagging.json", {"TagSet": [{"Key": "classification", "Value": "internal"}]})
    k = f"{d}/us-west-2/kms"
    w(f"{k}/list-aliases.json", {"Aliases": [{"AliasName": "alias/estate-data", "AliasArn": f"arn:aws:kms:us-west-2:{DATA}:alias/estate-data", "TargetKeyId": KEY}]})
    w(f"{k}/{KEY}/describe-key.json", {"KeyMetadata": {"AWSAccountId": DATA, "KeyId": KEY, "Arn": KEY_ARN, "Enabled": True, "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled", "Origin": "AWS_KMS", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT"}})
    w(f"{k}/{KEY}/get-key-policy.json", {"Policy": json.dumps(key_policy, indent=4), "PolicyName": "default"})
    w(f"{root}/accounts/{MGMT}/iam/get-account-authorization-details.json", gaad(MGMT, False))

def iam_collect(root):
    p = f"{root}/aws/aws"
    def res(acct, rel, files):
        for name, obj in files.items():
            if obj is not None: w(f"{p}/accounts/{acct}/{rel}/{name}.json", obj)
    q = lambda s: urllib.parse.quote(s, safe="").lower()
    res(APPS, f"iam/role/{q('analytics/data-reader')}", {"metadata": {"arn": f"arn:aws:iam::{APPS}:role/analytics/data-reader", "name": "data-reader", "id": "AROAESTATEROLE000001", "path": "/analytics/",
        "permissionBoundary": f"arn:aws:iam::{APPS}:policy/apps-boundary"}, "trust-policy": reader_trust, "inline-policies": [{"PolicyName": "read-reports", "PolicyDocument": reader_policy}],
        "managed-policies": [], "tags": {"team": "analytics"}})
    # The folder name is what the collector made of an older name; the metadata's ARN wins.
    res(APPS, "iam/role/pod-writer-old", {"metadata": {"arn": f"arn:aws:iam::{APPS}:role/pod-writer", "name": "pod-writer", "id": "AROAESTATEROLE000002", "path": "/"},
        "trust-policy": writer_trust, "inline-policies": [{"PolicyName": "write-incoming", "PolicyDocument": writer_policy}]})
    res(APPS, "iam/group/ops", {"metadata": {"arn": f"arn:aws:iam::{APPS}:group/ops", "name": "ops", "path": "/"}, "managed-policies": [f"arn:aws:iam::{APPS}:policy/ops-read", f"arn:aws:iam::{APPS}:policy/ops-extra"]})
    res(APPS, f"iam/user/{q('automation/ci-bot')}", {"metadata": {"arn": f"arn:aws:iam::{APPS}:user/automation/ci-bot", "name": "ci-bot", "path": "/automation/", "id": "AIDAESTATEUSER000001"},
        "inline-policies": [{"PolicyName": "no-nodegroups", "PolicyDocument": ci_inline}], "groups": [f"arn:aws:iam::{APPS}:group/ops"], "tags": {"owner": "platform"}})
    res(APPS, "iam/policy/apps-boundary", {"metadata": {"arn": f"arn:aws:iam::{APPS}:policy/apps-boundary", "name": "apps-boundary", "defaultVersionId": "v2"}, "current-policy": boundary_v2})
    res(APPS, "iam/policy/ops-read", {"metadata": {"arn": f"arn:aws:iam::{APPS}:policy/ops-read", "name": "ops-read"}, "current-policy": ops_read})
    res(APPS, f"iam/oidc-provider/{q(ISSUER)}", {"metadata": {"arn": f"arn:aws:iam::{APPS}:oidc-provider/{ISSUER}", "url": ISSUER, "audiences": ["sts.amazonaws.com"], "thumbprints": []}})
    res(APPS, f"ec2/us-west-2/vpc-endpoint/{VPCE}", {"metadata": {"id": VPCE, "vpc": "vpc-0a1b2c3d4e5f60718", "type": "Gateway", "serviceName": "com.amazonaws.us-west-2.s3"}, "policy": endpoint_policy})
    res(DATA, f"s3/{BUCKET}", {"metadata": {"name": BUCKET, "region": "us-west-2", "arn": f"arn:aws:s3:::{BUCKET}"}, "policy": bucket_policy,
        "encryption": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}, "BucketKeyEnabled": True}], "tags": {"classification": "internal"}})
    res(DATA, f"kms/us-west-2/key/{KEY}", {"metadata": {"id": KEY, "arn": KEY_ARN}, "policy": key_policy})
    o = f"{p}/organizations/{ORG}"
    w(f"{o}/metadata.json", {"id": ORG, "arn": f"arn:aws:organizations::{MGMT}:organization/{ORG}", "rootOu": "r-es12", "rootAccountId": MGMT,
        "features": {"SERVICE_CONTROL_POLICY": True, "RESOURCE_CONTROL_POLICY": True}})
    fa = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
    nd = f"arn:aws:organizations::{MGMT}:policy/{ORG}/service_control_policy/p-nodel0001"
    oo = f"arn:aws:organizations::{MGMT}:policy/{ORG}/resource_control_policy/p-orgonly001"
    rf = "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess"
    w(f"{o}/ous.json", {"r-es12": {"scps": [fa], "rcps": [rf, oo]}, "ou-es12-work0001": {"parent": "r-es12", "scps": [fa, nd], "rcps": [rf]}})
    w(f"{o}/ous/ou-es12-work0001/metadata.json", {"arn": f"arn:aws:organizations::{MGMT}:ou/{ORG}/ou-es12-work0001", "name": "workloads"})
    w(f"{o}/accounts.json", {MGMT: {"ou": "r-es12", "scps": [fa], "rcps": [rf]}, APPS: {"ou": "ou-es12-work0001", "scps": [fa], "rcps": [rf]}, DATA: {"ou": "ou-es12-work0001", "scps": [fa], "rcps": [rf]}})
    w(f"{o}/scps/p-fullawsaccess/metadata.json", {"arn": fa, "name": "FullAWSAccess"})
    w(f"{o}/scps/p-fullawsaccess/policy.json", full)
    w(f"{o}/scps/p-nodel0001/metadata.json", {"arn": nd, "name": "no-deletes"})
    w(f"{o}/scps/p-nodel0001/policy.json", no_deletes)
    w(f"{o}/rcps/p-orgonly001/metadata.json", {"arn": oo, "name": "org-only"})
    w(f"{o}/rcps/p-orgonly001/policy.json", org_only)
    # The index misses the bucket (found by its folder) and names one that is gone.
    w(f"{p}/indexes/buckets-to-accounts.json", {"estate-archive-old": DATA})

export_folder(f"{base}/export")
iam_collect(f"{base}/iam-collect")
for n, d in docs.items():
    w(f"{base}/policies/{n}.json", d)
w(f"{base}/k8s/apps-prod.yaml", K8S, raw=True)
