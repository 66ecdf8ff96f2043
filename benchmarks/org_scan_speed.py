"""Wall time, requests and peak memory of a whole `trailwarden scan --org` process.

A simulated organization — a management account with a Control Tower-like organization
trail and CIS alarms, and N member accounts in 10 OUs, about one in ten with a healthy
trail of its own — is served by moto from a separate server process, behind a WSGI
middleware that waits ``--delay`` seconds (default 0.1) before answering each request, as
a far-away AWS endpoint would. The organization is built quickly through an undelayed
port: accounts with CreateAccount, member trails and roles concurrently.

`trailwarden scan --org --format json` runs as a child process with the management
account's credentials; its peak RSS is read from its own resource usage (``os.wait4``, in
a small launcher process: see ``_LAUNCHER``).
The middleware counts every HTTP request by account and action (AssumeRole counts for
the account whose role it assumes), so the requests a member costs are measured where
AWS would see them, retries included.

    python benchmarks/org_scan_speed.py [--accounts 100,1000] [--max-workers 32] [--delay 0.1]

``--max-workers 8,16,32,64`` scans each organization once per value.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from typing import Any

MANAGEMENT = "123456789012"
OUS = 10
REGION = "us-east-1"


class DelayedServer:
    """moto's WSGI app on another loopback port, behind a middleware that counts each
    request by (account, action) and waits ``delay`` seconds before answering it."""

    def __init__(self, delay: float) -> None:
        import threading

        from moto.moto_server.threaded_moto_server import MotoRequestHandler
        from moto.server import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        self.delay = delay
        self.lock = threading.Lock()
        self.counts: Counter[tuple[str, str]] = Counter()
        app = DomainDispatcherApplication(create_backend_app)
        self.server = make_server(
            "127.0.0.1", 0, self._middleware(app), True, request_handler=MotoRequestHandler
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}"

    def _middleware(self, app: Any) -> Any:
        import io
        from urllib.parse import parse_qs

        def delayed(environ: dict[str, Any], start_response: Any) -> Any:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            self._count(environ, parse_qs(body.decode("utf-8", "replace")), body)
            time.sleep(self.delay)
            return app(environ, start_response)

        return delayed

    def _count(self, environ: dict[str, Any], form: dict[str, list[str]], body: bytes) -> None:
        import moto.iam.models

        auth = environ.get("HTTP_AUTHORIZATION", "")
        credential = auth.partition("Credential=")[2].split(",")[0].split("/")
        service = credential[3] if len(credential) > 3 else "?"
        service = {"monitoring": "cloudwatch"}.get(service, service)  # CloudWatch signs so
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        action = target.rpartition(".")[2] if target else (form.get("Action") or ["?"])[0]
        if action == "AssumeRole":  # the member whose role is assumed
            account = (form.get("RoleArn") or ["::::?"])[0].split(":")[4]
        else:
            account = moto.iam.models.get_account_id_from(credential[0])
        with self.lock:
            self.counts[(account, f"{service}:{action}")] += 1

    def take_counts(self) -> list[list[Any]]:
        with self.lock:
            out = [[a, action, n] for (a, action), n in sorted(self.counts.items())]
            self.counts.clear()
        return out

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_organization(aws: Any, members: int) -> dict[str, Any]:
    """The organization, through the undelayed port: accounts, OUs, trails, monitoring."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, datetime

    from trailwarden.demo.organization import seed_organization_trail

    now = datetime.now(UTC)
    org = aws.client(MANAGEMENT, "organizations")
    org_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")
    ous = [
        org.create_organizational_unit(
            ParentId=workloads["OrganizationalUnit"]["Id"], Name=f"team-{i}"
        )["OrganizationalUnit"]["Id"]
        for i in range(OUS)
    ]

    def create(i: int) -> str:
        made = org.create_account(AccountName=f"member-{i:04d}", Email=f"m{i}@example.com")
        account: str = made["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ous[i % OUS])
        return account

    with ThreadPoolExecutor(8) as pool:
        accounts = list(pool.map(create, range(members)))
        aws.register_organization(MANAGEMENT, accounts)
        seed_organization_trail(aws, org_id, now)
        with_trail = accounts[::10]
        list(pool.map(lambda a: own_trail(aws, a, now), with_trail))
    return {
        "management": MANAGEMENT,
        "members": accounts,
        "with_trail": with_trail,
        "ous": ous,
    }


def own_trail(aws: Any, account: str, now: Any) -> None:
    """A healthy multi-region trail of the member's own (log group, role, delivery)."""
    from datetime import timedelta

    from trailwarden.demo.account import DemoTrail, create_trail

    streams = f"arn:aws:logs:{REGION}:{account}:log-group:own-trail:log-stream:*"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    writer = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": streams,
            }
        ],
    }
    iam = aws.client(account, "iam")
    iam.create_role(RoleName="own-trail-role", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(
        RoleName="own-trail-role", PolicyName="deliver", PolicyDocument=json.dumps(writer)
    )
    trail = DemoTrail(
        account,
        "own-trail",
        REGION,
        multi_region=True,
        log_group="own-trail",
        retention_days=365,
        role="own-trail-role",
        delivered_ago=timedelta(minutes=3),
    )
    create_trail(aws.client, aws.set_delivery, trail, now)


def fast_account_lookup() -> None:
    """moto finds the account of an access key by looking at every account's IAM backend
    in every partition: 1,000 accounts make each request cost milliseconds of the
    simulator's CPU, which the scan would be measured with. AWS encodes the account in
    the access key id (moto too: ``moto.iam.utils.generate_access_key_id_from_account_id``),
    so decode it, and fall back to moto's search for a key that does not decode."""
    import base64

    import moto.iam.models as iam_models
    from moto.iam.utils import ACCOUNT_OFFSET, AWS_ROLE_ALPHABET

    search = iam_models.get_account_id_from

    def lookup(access_key: str) -> str:
        try:
            number = int.from_bytes(base64.b32decode(access_key[4:12]), "big")
            odd = AWS_ROLE_ALPHABET.index(access_key[12]) >= 16
            account = f"{(number - ACCOUNT_OFFSET) * 2 + odd:012d}"
        except (ValueError, IndexError):
            return search(access_key)
        backends = iam_models.iam_backends
        if account in backends and access_key in backends[account]["aws"].access_keys:
            return account
        return search(access_key)

    iam_models.get_account_id_from = lookup


def serve(members: int, delay: float) -> None:
    """Server mode: build the organization, print its facts, answer `counts` on stdin."""
    from trailwarden.demo.simulated_aws import SimulatedAws

    fast_account_lookup()
    with SimulatedAws() as aws:
        facts = build_organization(aws, members)
        delayed = DelayedServer(delay)
        info = {"env": {**aws.environment(facts["management"]), "AWS_ENDPOINT_URL": delayed.url}}
        print(json.dumps({**facts, **info}), flush=True)
        cpu = time.process_time()
        for line in sys.stdin:
            if line.strip() == "counts":
                used, cpu = time.process_time() - cpu, time.process_time()
                print(json.dumps({"counts": delayed.take_counts(), "cpu": used}), flush=True)
        delayed.stop()


# Linux records a process's peak RSS from the memory it was forked with: a scan started
# from this process (which has read earlier reports) would be charged this process's size.
# So each scan is started by a fresh, small Python that reports the scan's resource usage.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} "
            f"{usage.ru_maxrss}")
"""


def scan_once(env: dict[str, str], workers: int) -> tuple[float, float, float, dict[str, Any]]:
    """One scan process: (wall seconds, CPU seconds, peak RSS in MB, JSON report)."""
    args = [sys.executable, "-m", "trailwarden", "scan", "--org", "--format", "json"]
    args += ["--max-workers", str(workers)]
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as used:
        started = time.perf_counter()
        launcher = [sys.executable, "-c", _LAUNCHER, used.name, *args]
        proc = subprocess.run(launcher, env=env, stdout=out, stderr=subprocess.PIPE, check=False)
        wall = time.perf_counter() - started
        code, cpu, peak_kb = used.read().split()
        if int(code) not in (0, 1):
            raise SystemExit(f"scan failed ({code}): {proc.stderr.decode()[-2000:]}")
        out.seek(0)
        report = json.loads(out.read())
    return wall, float(cpu), int(peak_kb) / 1024, report


def describe(facts: dict[str, Any], counts: list[list[Any]]) -> list[str]:
    """Requests by action, and per member account."""
    by_action: Counter[str] = Counter()
    per_account: Counter[str] = Counter()
    for account, action, n in counts:
        by_action[action] += n
        per_account[account] += n
    own = set(facts["with_trail"])
    plain = [per_account[a] for a in facts["members"] if a not in own]
    with_trail = [per_account[a] for a in own]
    lines = [f"  requests: {sum(by_action.values())}"]
    lines += [f"    {action:40} {n}" for action, n in sorted(by_action.items())]
    lines.append(
        f"  per member without a trail of its own ({len(plain)}): max {max(plain)}, "
        f"min {min(plain)} requests"
    )
    if with_trail:
        lines.append(
            f"  per member with a trail of its own ({len(with_trail)}): max {max(with_trail)}, "
            f"min {min(with_trail)} requests"
        )
    lines.append(f"  management account {facts['management']}: {per_account[facts['management']]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", default="100,1000", help="member accounts, comma-separated")
    parser.add_argument("--max-workers", default="32", help="comma-separated values to try")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds added per request")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.delay)
        return
    for members in (int(n) for n in args.accounts.split(",")):
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(members), "--delay", str(args.delay)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None and server.stdin is not None
        try:
            facts = json.loads(server.stdout.readline())
            print(
                f"organization: {members} members ({len(facts['with_trail'])} with a trail of "
                f"their own) in {len(facts['ous'])} OUs, built in "
                f"{time.perf_counter() - started:.1f} s; {args.delay * 1000:.0f} ms per request"
            )
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update(facts["env"])
            for workers in (int(w) for w in args.max_workers.split(",")):
                wall, cpu, peak, report = scan_once(env, workers)
                server.stdin.write("counts\n")
                server.stdin.flush()
                served = json.loads(server.stdout.readline())
                counts = served["counts"]
                print(
                    f"--max-workers {workers}: wall {wall:.1f} s, peak RSS {peak:.0f} MB "
                    f"(CPU: scan process {cpu:.1f} s, simulated AWS {served['cpu']:.1f} s)"
                )
                print(f"  accounts in the report: {len(report['accounts'])}")
                for line in describe(facts, counts):
                    print(line)
        finally:
            server.stdin.close()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
