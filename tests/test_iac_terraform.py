"""Terraform configurations (directories of *.tf, local modules) through the checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iac_helpers import DATA, finding, label, scan, unverifiable, verdicts
from trailwarden.errors import CodeInputError
from trailwarden.findings import SourceLocation, Status
from trailwarden.formats.json import render_json
from trailwarden.monitoring.catalog import CLASSES

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
HEALTHY, MISTAKES = "terraform/healthy", "terraform/mistakes"
MODULE, EXTERNAL = "terraform/module/live", "terraform/external"


def test_healthy_configuration_passes_every_check() -> None:
    report = scan(HEALTHY, region=None)
    got = verdicts(report)
    assert set(got.values()) == {P}, got
    assert {c for _, c in got} == {"TW001", "TW002", "TW003", "TW006", "TW007", "TW010"} | {
        c.id for c in CLASSES
    }
    assert report.exit_code == 0


def test_findings_name_the_terraform_address_file_and_line() -> None:
    f = finding(scan(HEALTHY), "aws_cloudtrail.audit", "TW002")
    assert f.location == SourceLocation(label(f"{HEALTHY}/main.tf"), 78)
    assert f.account_id == "" and f.region == "eu-west-1"


@pytest.mark.parametrize("class_id", ["TW103", "TW105", "TW107"])
def test_filters_written_unlike_cis_pass_by_meaning(class_id: str) -> None:
    # Clauses reordered (TW103, TW105), no spaces at all (TW107): the text differs from CIS's.
    f = finding(scan(HEALTHY), label(HEALTHY), class_id)
    assert f.status is P and "1 subscription(s) in the code" in f.message


@pytest.mark.parametrize(
    ("address", "check", "status", "words"),
    [
        ("aws_cloudtrail.app", "TW001", F, "no CloudWatch Logs log group ARN"),
        ("aws_cloudtrail.app", "TW002", NA, "TW001"),
        ("aws_cloudtrail.legacy", "TW002", F, "does not end in ':*'"),
        ("aws_cloudtrail.stopped", "TW003", F, "trusts only Service ec2.amazonaws.com"),
        ("aws_cloudtrail.stopped", "TW006", F, "is not logging"),
        ("aws_cloudtrail.stopped", "TW007", F, "keeps events 30 days"),
        ("aws_cloudtrail.create_only", "TW003", F, "may not logs:PutLogEvents"),
        ("aws_cloudtrail.create_only", "TW007", P, "731 days"),
        ("aws_cloudtrail.elsewhere", "TW002", F, "is in eu-central-1"),
        # Its policy is a heredoc with an interpolated ARN; its trust a policy document.
        ("aws_cloudtrail.org", "TW003", P, "org-trail-delivery trusts cloudtrail.amazonaws.com"),
    ],
)
def test_the_usual_mistakes(address: str, check: str, status: Status, words: str) -> None:
    f = finding(scan(MISTAKES), address, check)
    assert (f.status, words in f.message) == (status, True), f.message


@pytest.mark.parametrize(
    ("class_id", "status", "words"),
    [
        ("TW101", F, "misses 8 of 8"),  # clauses joined with &&: never fires
        ("TW102", F, "No metric filter"),
        ("TW103", P, "alarm cis-root notifies"),
        ("TW104", F, "has its actions disabled"),
        ("TW105", F, "which has no subscription"),
        ("TW110", F, "ModifySecurityGroupRules"),
    ],
)
def test_monitoring_set_up_wrong(class_id: str, status: Status, words: str) -> None:
    f = finding(scan(MISTAKES), label(MISTAKES), class_id)
    assert (f.status, words in f.message) == (status, True), f.message


def test_local_module_instances_are_addressed_and_located_in_the_module() -> None:
    report = scan(MODULE, region=None)
    prod = finding(report, 'module.audit["prod"].aws_cloudtrail.this', "TW007")
    staging = finding(report, 'module.audit["staging"].aws_cloudtrail.this', "TW007")
    assert (prod.status, staging.status) == (P, F)  # 400 and 30 days, from terraform.tfvars
    assert prod.location == SourceLocation(
        label("terraform/module/modules/audit-trail/main.tf"), 25
    )


def test_module_gets_the_aliased_provider_and_its_region() -> None:
    f = finding(scan(MODULE, region=None), 'module.audit["prod"].aws_cloudtrail.this', "TW002")
    assert f.region == "eu-west-1" and "exists in eu-west-1" in f.message


def test_var_file_overrides_terraform_tfvars_and_tf_var_environment() -> None:
    var_file = DATA / "terraform/module/live/security-account.tfvars"
    from_env = scan(MODULE, region=None, env_vars={"security_region": "us-west-2"})
    both = scan(
        MODULE, region=None, env_vars={"security_region": "us-west-2"}, var_files=(var_file,)
    )
    address = 'module.audit["prod"].aws_cloudtrail.this'
    assert finding(from_env, address, "TW002").region == "us-west-2"
    assert finding(both, address, "TW002").region == "eu-central-1"


def test_module_policies_from_file_and_templatefile_are_evaluated() -> None:
    f = finding(scan(MODULE, region=None), 'module.audit["prod"].aws_cloudtrail.this', "TW003")
    assert f.status is P, f.message


def test_alarms_for_each_over_filters_and_dynamic_selectors() -> None:
    report = scan(MODULE, region=None)
    assert finding(report, label(MODULE), "TW010").status is P  # advanced selectors, dynamic
    assert finding(report, label(MODULE), "TW103").status is P  # alarm for_each over filters


@pytest.mark.parametrize(
    ("address", "check", "words"),
    [
        ("aws_cloudtrail.shared", "TW002", "log group org-cloudtrail"),
        ("aws_cloudtrail.shared", "TW003", "var.delivery_role_arn has no value"),
        ("aws_cloudtrail.shared", "TW007", "not defined in this configuration"),
        ("aws_cloudtrail.pinned", "TW003", "deploys to account 123456789012"),
        ("aws_cloudtrail.pinned", "TW007", "var.retention_days has no value"),
        ("aws_cloudtrail.literal", "TW002", "names account 123456789012"),
        ("aws_cloudtrail.literal", "TW003", "names account 123456789012"),
    ],
)
def test_what_the_code_does_not_give_cannot_be_verified(
    address: str, check: str, words: str
) -> None:
    f = finding(scan(EXTERNAL), address, check)
    assert unverifiable(f) and words in f.message, f.message


def test_a_trail_of_unknown_count_is_judged_as_written_with_a_note() -> None:
    report = scan(EXTERNAL)
    backup = finding(report, "aws_cloudtrail.backup[*]", "TW001")
    assert backup.status is F
    assert "Note: aws_cloudtrail.backup[*] may not exist (its count is not known" in backup.message
    assert unverifiable(finding(report, label(EXTERNAL), "TW010"))


def test_a_trail_that_may_not_exist_cannot_make_tw010_pass(tmp_path: Path) -> None:
    target = copy_healthy(
        tmp_path,
        'resource "aws_cloudtrail" "audit" {',
        ('resource "aws_cloudtrail" "audit" {\n  count = var.enabled ? 1 : 0'),
    )
    tw010 = finding(scan(target), label_of(target), "TW010")
    assert unverifiable(tw010) and "aws_cloudtrail.audit[*] may not exist" in tw010.message
    assert finding(scan(target), "aws_cloudtrail.audit[*]", "TW003").status is P


def write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf").write_text(text)
    return directory


def test_a_module_of_a_remote_source_may_define_the_trail(tmp_path: Path) -> None:
    remote = 'module "baseline" {\n  source = "acme/cloudtrail/aws"\n}\n'
    with_module = finding(scan(write(tmp_path / "a", remote)), label_of(tmp_path / "a"), "TW010")
    assert unverifiable(with_module) and "module.baseline" in with_module.message
    without = finding(
        scan(write(tmp_path / "b", "locals {\n  a = 1\n}\n")), label_of(tmp_path / "b"), "TW010"
    )
    assert without.status is F and "no trail" in without.message


def label_of(path: Path) -> str:
    from trailwarden.collect.iac.files import shown

    return shown(path)


TRAIL = """
provider "aws" {%s}
resource "aws_cloudtrail" "t" {
  name                       = "t"
  s3_bucket_name             = "b"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.g.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.r.arn
}
resource "aws_cloudwatch_log_group" "g" {
  name = "g"
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = %s
}
"""


def test_a_provider_without_region_needs_one(tmp_path: Path) -> None:
    path = write(tmp_path, TRAIL % ("", '"{}"'))
    with pytest.raises(CodeInputError, match="region of provider aws .* is not set: give --region"):
        scan(path, region=None)
    assert (
        finding(scan(path, region="ap-south-1"), "aws_cloudtrail.t", "TW002").region == "ap-south-1"
    )


def test_file_outside_the_configuration_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    path = write(tmp_path / "config", TRAIL % ("", f'file("{secret}")'))
    report = scan(path)
    f = finding(report, "aws_cloudtrail.t", "TW003")
    assert unverifiable(f) and "outside the configuration's directories" in f.message
    assert b"Allow" not in render_json(report)


def test_the_account_the_provider_allows_is_the_account(tmp_path: Path) -> None:
    path = write(tmp_path, TRAIL % ('\n  allowed_account_ids = ["123456789012"]\n', '"{}"'))
    f = finding(scan(path), "aws_cloudtrail.t", "TW001")
    assert "arn:aws:logs:eu-west-1:123456789012:log-group:g:*" in f.message


def copy_healthy(tmp_path: Path, old: str, new: str) -> Path:
    """The healthy configuration with ``old`` replaced by ``new``, and ``var.enabled``
    declared without a value."""
    target = tmp_path / "healthy"
    target.mkdir()
    for source in (DATA / HEALTHY).glob("*.tf"):
        (target / source.name).write_text(source.read_text().replace(old, new))
    (target / "enabled.tf").write_text('variable "enabled" {\n  type = bool\n}\n')
    return target


def test_filters_of_unknown_count_keep_monitoring_from_failing(tmp_path: Path) -> None:
    target = copy_healthy(
        tmp_path, "for_each = local.cis", "for_each = var.enabled ? local.cis : {}"
    )
    f = finding(scan(target), label_of(target), "TW103")
    assert unverifiable(f) and "var.enabled has no value" in f.message


def test_syntax_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'resource "aws_cloudtrail" "t" {\n  name = \n}\n')
    with pytest.raises(CodeInputError, match=r"main\.tf:\d+: not valid HCL"):
        scan(path)


def test_a_reference_cycle_is_unknown_not_a_crash(tmp_path: Path) -> None:
    text = TRAIL % ("", '"{}"') + "locals {\n  a = local.b\n  b = local.a\n}\n"
    text = text.replace('name           = "t"', "").replace(
        'name                       = "t"', "name = local.a"
    )
    report = scan(write(tmp_path, text))
    assert finding(report, "aws_cloudtrail.t", "TW001").status is P
    assert json.loads(render_json(report))["findings"]


def test_a_module_that_contains_itself_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'module "again" {\n  source = "./"\n}\n')
    with pytest.raises(CodeInputError, match="a module cannot contain itself"):
        scan(path)


def test_a_count_far_beyond_configuration_is_unknown_not_a_hang(tmp_path: Path) -> None:
    path = write(
        tmp_path, TRAIL % ("", '"{}"') + 'resource "aws_sns_topic" "t" {\n  count = 1e12\n}\n'
    )
    tw010 = finding(scan(path), label_of(path), "TW010")
    assert tw010.status is F  # the trail is single-region; the topics cannot be judged


def test_a_remote_module_given_the_log_group_may_define_its_filters(tmp_path: Path) -> None:
    target = copy_healthy(tmp_path, "for_each = local.cis", "for_each = {}")
    (target / "alarms.tf").write_text(
        'module "cis_alarms" {\n  source         = "acme/cis-alarms/aws"\n'
        "  log_group_name = aws_cloudwatch_log_group.trail.name\n}\n"
    )
    f = finding(scan(target), label_of(target), "TW103")
    assert unverifiable(f) and "module.cis_alarms" in f.message, f.message
