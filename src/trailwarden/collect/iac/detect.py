"""What a PATH given to ``trailwarden iac`` is: a Terraform directory, a Terraform plan in JSON,
or a CloudFormation template — or a clear error saying it is none of them.

- a directory with ``*.tf`` files: Terraform (the files of one module, as ``terraform plan``
  reads them);
- JSON with ``format_version`` and ``terraform_version``: ``terraform show -json`` output,
  which must be of a plan (``planned_values``), not of a state;
- YAML or JSON with a ``Resources`` mapping: a CloudFormation template.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trailwarden.collect.iac.files import MAX_PLAN_BYTES, read_text, shown
from trailwarden.errors import CodeInputError

__all__ = ["Detected", "InputKind", "detect"]

_KINDS = "a Terraform directory, a Terraform plan in JSON or a CloudFormation template"


class InputKind(enum.Enum):
    TERRAFORM = "terraform"
    TERRAFORM_PLAN = "terraform-plan"
    CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True)
class Detected:
    kind: InputKind
    path: Path
    content: Any = None  # the parsed plan, or the decoded template


def detect(path: Path) -> Detected:
    """Which kind of input ``path`` is, parsed; :class:`CodeInputError` if none."""
    if path.is_dir():
        if any(p.is_file() for p in path.glob("*.tf")):
            return Detected(InputKind.TERRAFORM, path)
        raise CodeInputError(
            f"{shown(path)} is a directory without *.tf files, so not a Terraform configuration; "
            f"give {_KINDS}."
        )
    if not path.exists():
        raise CodeInputError(f"{shown(path)} does not exist; give {_KINDS}.")
    if path.suffix == ".tf":
        raise CodeInputError(
            f"{shown(path)} is one Terraform file; give its directory (Terraform reads every "
            "*.tf file of a module together)."
        )
    text = read_text(path, MAX_PLAN_BYTES)
    if text.lstrip().startswith("{"):
        import orjson

        try:
            document = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise CodeInputError(
                f"{shown(path)} is not valid JSON ({exc}); give {_KINDS}."
            ) from exc
        if (
            isinstance(document, dict)
            and "format_version" in document
            and "terraform_version" in document
        ):
            if "planned_values" not in document and "resource_changes" not in document:
                raise CodeInputError(
                    f"{shown(path)} is Terraform JSON but not of a plan (no planned_values): run "
                    "terraform plan -out plan.out && terraform show -json plan.out > plan.json."
                )
            return Detected(InputKind.TERRAFORM_PLAN, path, document)
        if not (isinstance(document, dict) and isinstance(document.get("Resources"), dict)):
            raise CodeInputError(
                f"{shown(path)} is JSON but neither a Terraform plan (format_version, "
                f"terraform_version) nor a CloudFormation template (Resources); give {_KINDS}."
            )
    from trailwarden.collect.iac.cloudformation import decode_template

    template = decode_template(path, text)
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise CodeInputError(
            f"{shown(path)} is not a CloudFormation template (no Resources mapping); give {_KINDS}."
        )
    return Detected(InputKind.CLOUDFORMATION, path, template)
