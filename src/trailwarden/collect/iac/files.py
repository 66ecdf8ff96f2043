"""Reading the files of infrastructure code: bounded, UTF-8, errors as one sentence.

A pull request's code is outside input: a file may be huge, not text, or a FIFO that never
ends. Only regular files are read, each at most :data:`MAX_FILE_BYTES` (a plan JSON at most
:data:`MAX_PLAN_BYTES`), and a name is printed only through ``textsafe.printable``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from trailwarden.errors import CodeInputError
from trailwarden.textsafe import printable

__all__ = ["MAX_FILE_BYTES", "MAX_PLAN_BYTES", "inside", "read_text", "shown"]

# CloudFormation accepts templates up to 1 MB (from S3); Terraform files are smaller still.
MAX_FILE_BYTES = 16 * 1024 * 1024
# `terraform show -json` of a large configuration runs to hundreds of megabytes.
MAX_PLAN_BYTES = 512 * 1024 * 1024


def shown(path: Path) -> str:
    """``path`` as findings and messages show it: relative to the working directory when
    inside it (what code review and SARIF want), else as it is; control characters escaped."""
    try:
        text = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        text = str(path)
    return printable(str(path) if text.startswith("..") else text)


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped)."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise CodeInputError(f"{shown(path)} is not a regular file; give a file or directory.")
        if st.st_size > limit:
            raise CodeInputError(
                f"{shown(path)} is {st.st_size:,} bytes, more than trailwarden reads "
                f"({limit:,}); is it the file you meant?"
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise CodeInputError(
            f"Cannot read {shown(path)}: {exc.strerror or exc}; check the path and its permissions."
        ) from exc
    if len(data) > limit:
        raise CodeInputError(f"{shown(path)} grew past {limit:,} bytes while being read.")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise CodeInputError(
            f"{shown(path)} is not UTF-8 text (byte {exc.start}); Terraform and CloudFormation "
            "files are UTF-8."
        ) from exc


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (symbolic links resolved) is within ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False
