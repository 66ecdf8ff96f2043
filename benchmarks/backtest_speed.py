"""Backtest throughput: CloudTrail records per second, against JSON parsing alone.

Generates N realistic CloudTrail records (default 1,000,000; ~1.3 KB each, CIS events at
realistic low rates) as gzipped S3 delivery files of 1,000–5,000 records in a temp dir
(reused when present), then measures, each phase in a fresh process so peak RSS is its own:

(a) parse only: read + gunzip + ``orjson.loads`` each file and iterate its records;
(b) the full backtest against the 15 CIS filters (``trailwarden.backtest``, same reading).

Prints events/s, the ratio b/a (goal: ≥ 0.5) and peak RSS after 10% and 100% of the files.

    python benchmarks/backtest_speed.py [--records 1000000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

ACCOUNT = "123456789012"
REGIONS = ["us-east-1"] * 6 + ["us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
# (eventSource, eventName, weight): routine traffic, then the CIS classes at low rates.
ROUTINE = [
    ("ec2.amazonaws.com", "DescribeInstances", 120),
    ("sts.amazonaws.com", "AssumeRole", 150),
    ("kms.amazonaws.com", "Decrypt", 140),
    ("kms.amazonaws.com", "GenerateDataKey", 60),
    ("s3.amazonaws.com", "GetBucketAcl", 50),
    ("s3.amazonaws.com", "ListBuckets", 20),
    ("s3.amazonaws.com", "HeadBucket", 30),
    ("logs.amazonaws.com", "DescribeLogStreams", 60),
    ("ssm.amazonaws.com", "GetParameter", 80),
    ("lambda.amazonaws.com", "ListFunctions20150331", 30),
    ("iam.amazonaws.com", "GetRole", 40),
    ("iam.amazonaws.com", "ListRoles", 20),
    ("cloudtrail.amazonaws.com", "LookupEvents", 10),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", 40),
    ("config.amazonaws.com", "DescribeConfigRules", 15),
    ("monitoring.amazonaws.com", "GetMetricData", 60),
]
RARE = [
    ("signin.amazonaws.com", "ConsoleLogin", 2),
    ("iam.amazonaws.com", "PutRolePolicy", 1),
    ("iam.amazonaws.com", "AttachRolePolicy", 1),
    ("cloudtrail.amazonaws.com", "UpdateTrail", 0.1),
    ("cloudtrail.amazonaws.com", "StopLogging", 0.02),
    ("kms.amazonaws.com", "ScheduleKeyDeletion", 0.05),
    ("s3.amazonaws.com", "PutBucketPolicy", 0.5),
    ("config.amazonaws.com", "PutConfigurationRecorder", 0.05),
    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", 1),
    ("ec2.amazonaws.com", "ModifySecurityGroupRules", 0.3),
    ("ec2.amazonaws.com", "CreateNetworkAclEntry", 0.2),
    ("ec2.amazonaws.com", "CreateInternetGateway", 0.1),
    ("ec2.amazonaws.com", "CreateRoute", 0.5),
    ("ec2.amazonaws.com", "CreateVpc", 0.1),
    ("organizations.amazonaws.com", "CreateAccount", 0.02),
]
EVENTS = ROUTINE + RARE
WEIGHTS = [w for _, _, w in EVENTS]
START = datetime(2024, 5, 1, tzinfo=UTC)


def _identity(rng: random.Random) -> dict[str, Any]:
    kind = rng.choices(["AssumedRole", "IAMUser", "AWSService", "Root"], [80, 15, 4.9, 0.1])[0]
    if kind == "AWSService":
        return {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}
    if kind == "Root":
        return {
            "type": "Root",
            "principalId": ACCOUNT,
            "arn": f"arn:aws:iam::{ACCOUNT}:root",
            "accountId": ACCOUNT,
            "accessKeyId": "ASIAEXAMPLEROOTKEY01",
        }
    if kind == "IAMUser":
        user = rng.choice(["alice", "bob", "ci-deployer", "carol"])
        return {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEUSERID0001",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}",
            "accountId": ACCOUNT,
            "accessKeyId": "AKIAEXAMPLEACCESSKEY",
            "userName": user,
        }
    role = rng.choice(["AppServerRole", "LambdaExec", "AdminSSO", "DataPipeline", "Ops"])
    return {
        "type": "AssumedRole",
        "principalId": f"AROAEXAMPLEROLEID0001:{role.lower()}-session",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{role.lower()}-session",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEACCESSKEY",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAEXAMPLEROLEID0001",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                "accountId": ACCOUNT,
                "userName": role,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": "2024-05-01T00:00:00Z", "mfaAuthenticated": "false"},
        },
    }


def make_record(rng: random.Random, when: datetime) -> dict[str, Any]:
    source, name, _ = rng.choices(EVENTS, WEIGHTS)[0]
    region = rng.choice(REGIONS)
    record: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": _identity(rng),
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": f"203.0.113.{rng.randrange(1, 255)}",
        "userAgent": "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 "
        "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
        "md/distrib#ubuntu.22 md/prompt#off md/command#" + name.lower(),
        "requestParameters": {
            "maxResults": 1000,
            "filterSet": {"items": [{"name": "tag:Team", "valueSet": {"items": ["core"]}}]},
            "resourceArn": f"arn:aws:{source.split('.')[0]}:{region}:{ACCOUNT}:thing/"
            + uuid.UUID(int=rng.getrandbits(128)).hex,
        },
        "responseElements": None,
        "requestID": str(uuid.UUID(int=rng.getrandbits(128))),
        "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
        "readOnly": name.startswith(("Describe", "Get", "List", "Head", "Lookup")),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com",
        },
    }
    if name == "ConsoleLogin":
        record["eventType"] = "AwsConsoleSignIn"
        mfa = rng.random() < 0.8
        record["additionalEventData"] = {"MFAUsed": "Yes" if mfa else "No"}
        failed = rng.random() < 0.2
        record["responseElements"] = {"ConsoleLogin": "Failure" if failed else "Success"}
        if failed:
            record["errorMessage"] = "Failed authentication"
    elif rng.random() < 0.02:
        record["errorCode"] = rng.choice(["AccessDenied", "Client.UnauthorizedOperation"])
        record["errorMessage"] = "User is not authorized to perform this operation"
    if record["userIdentity"]["type"] == "AWSService":
        record["eventType"] = "AwsServiceEvent"
        record["sourceIPAddress"] = "ec2.amazonaws.com"
    return record


def generate(directory: Path, records: int, seed: int = 7) -> None:
    """Write ``records`` records as gzipped S3 delivery files of 1,000–5,000 records."""
    rng = random.Random(seed)
    seconds = 7 * 24 * 3600 / records  # a week of activity
    written = part = 0
    while written < records:
        count = min(rng.randrange(1000, 5001), records - written)
        batch = [
            make_record(rng, START + timedelta(seconds=(written + i) * seconds))
            for i in range(count)
        ]
        hour = batch[0]["eventTime"][:13].replace("-", "")
        name = f"{ACCOUNT}_CloudTrail_us-east-1_{hour}Z_{part:06d}.json.gz"
        data = gzip.compress(orjson.dumps({"Records": batch}), compresslevel=6)
        (directory / name).write_bytes(data)
        written += count
        part += 1
    (directory / "COMPLETE").write_text(str(records))


def _peak_rss_mb() -> float:
    # Linux reports KiB, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _phase(phase: str, directory: Path) -> dict[str, Any]:
    from trailwarden.backtest import LogReader, backtest_files, cis_filters

    files = sorted(directory.glob("*.json.gz"))
    tenth = max(1, len(files) // 10)
    seen = 0
    rss_10 = 0.0

    def on_file(_: int) -> None:
        nonlocal seen, rss_10
        seen += 1
        if seen == tenth:
            rss_10 = _peak_rss_mb()

    filters = cis_filters()  # compiled outside the timed part, like the CLI does
    LogReader([directory])  # import and warm everything the timed part uses
    started = time.perf_counter()
    matched = 0
    if phase == "parse":
        events = 0
        for path in files:
            for _record in orjson.loads(gzip.decompress(path.read_bytes()))["Records"]:
                events += 1
            on_file(0)
    else:
        result = backtest_files([directory], filters, on_file=on_file)
        events = result.events
        matched = sum(f.matched for f in result.filters)
    seconds = time.perf_counter() - started
    return {
        "events": events,
        "seconds": seconds,
        "matched": matched,
        "rss_10": rss_10,
        "rss_100": _peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, help="where the generated files go (reused)")
    parser.add_argument("--phase", choices=["parse", "backtest"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    directory: Path = args.dir or Path(tempfile.gettempdir()) / f"tw-backtest-{args.records}"
    if args.phase:
        print(json.dumps(_phase(args.phase, directory)))
        return
    marker = directory / "COMPLETE"
    if not (marker.exists() and marker.read_text() == str(args.records)):
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.json.gz"):
            old.unlink()
        print(f"generating {args.records:,} records in {directory} ...", flush=True)
        started = time.perf_counter()
        generate(directory, args.records)
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    files = list(directory.glob("*.json.gz"))
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files):,} files, {size / 1e6:,.1f} MB gzipped")
    figures: dict[str, dict[str, Any]] = {}
    for phase in ("parse", "backtest"):
        command = [sys.executable, __file__, "--records", str(args.records), "--phase", phase]
        output = subprocess.run(
            [*command, "--dir", str(directory)], check=True, capture_output=True, text=True
        ).stdout
        figures[phase] = json.loads(output)
    for phase, label in (("parse", "(a) gunzip + orjson parse"), ("backtest", "(b) backtest, CIS")):
        f = figures[phase]
        print(
            f"{label:28} {f['events'] / f['seconds']:>12,.0f} events/s "
            f"({f['events']:,} events in {f['seconds']:.2f} s); peak RSS "
            f"{f['rss_10']:.0f} MB after 10% of files, {f['rss_100']:.0f} MB after 100%"
        )
    ratio = figures["parse"]["seconds"] / figures["backtest"]["seconds"]
    print(f"CIS matches: {figures['backtest']['matched']:,}")
    print(f"ratio backtest/parse throughput: {ratio:.2f} (goal >= 0.50)")


if __name__ == "__main__":
    main()
