"""Infrastructure code → the same :class:`~trailwarden.inventory.Inventory` AWS gives, so that
the same checks judge it (``trailwarden iac``).

Three readers — :mod:`.terraform_hcl` (a directory of ``*.tf``), :mod:`.terraform_plan`
(``terraform show -json``), :mod:`.cloudformation` — turn code into the neutral resources of
:mod:`.specs`; :mod:`.build` links them by value into an inventory. What the code does not
give is marked (:class:`~trailwarden.inventory.Unknown`, ``NOT_IN_CODE``) so that the checks
say "cannot be verified from code" instead of guessing. The account is a placeholder unless
the code gives it (:mod:`.names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trailwarden.collect.iac.build import build_inventory
from trailwarden.collect.iac.detect import InputKind, detect
from trailwarden.collect.iac.files import shown
from trailwarden.collect.iac.specs import Code, Where
from trailwarden.errors import CodeInputError
from trailwarden.findings import SourceLocation
from trailwarden.inventory import Inventory

__all__ = ["CodeInventory", "CodeSettings", "InputKind", "read_code"]


@dataclass(frozen=True)
class CodeSettings:
    """What the command line adds to the code."""

    # The region of a configuration that does not say it (CloudFormation never does).
    region: str | None = None
    # Terraform: -var-file files (after terraform.tfvars and *.auto.tfvars), then TF_VAR_*.
    var_files: tuple[Path, ...] = ()
    env_vars: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeInventory:
    """One input read: its inventory, and where in it each trail is (by trail ARN)."""

    path: str  # as findings show it
    kind: InputKind
    inventory: Inventory
    trails: Mapping[str, Where]
    location: SourceLocation  # for what is said of the input as a whole (TW010, TW1xx)


def read_code(path: Path, settings: CodeSettings | None = None) -> CodeInventory:
    """Read one PATH (detected: Terraform directory, plan JSON, CloudFormation template)."""
    settings = settings or CodeSettings()
    found = detect(path)
    code: Code
    if found.kind is InputKind.CLOUDFORMATION:
        from trailwarden.collect.iac.cloudformation import read_cloudformation

        region = _region(
            settings, f"{shown(path)} is a CloudFormation template, which does not say its region"
        )
        code = read_cloudformation(path, found.content, region, None)
    elif found.kind is InputKind.TERRAFORM_PLAN:
        from trailwarden.collect.iac.terraform_plan import read_plan

        code, region = read_plan(path, found.content, settings.region)
    else:
        from trailwarden.collect.iac.terraform_hcl import read_terraform

        code, region = read_terraform(path, settings)
    built = build_inventory(code, datetime.now(UTC), region)
    return CodeInventory(
        path=shown(path),
        kind=found.kind,
        inventory=built.inventory,
        trails=built.trails,
        location=SourceLocation(shown(path), None),
    )


def _region(settings: CodeSettings, why: str) -> str:
    if settings.region:
        return settings.region
    raise CodeInputError(f"{why}: give --region (or set AWS_REGION).")
