"""The deployment zip of the Config rule (``trailwarden lambda package``).

The zip holds trailwarden (without ``cli/`` and ``demo/``, which need click, rich and
moto) and the third-party packages the handler imports that the Lambda runtime lacks
(:data:`BUNDLED`: orjson and google-re2, compiled), pinned to the versions installed
here — the ones the tests ran with — and fetched by pip as wheels for the Lambda
platform. boto3, botocore and their dependencies come with the runtime
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html). The pins are in
``trailwarden-lambda-requirements.txt`` at the zip's root; a ``.dist-info`` lets
``importlib.metadata`` find the handler's entry point in the zip too.

The python3.12 and python3.13 runtimes run on Amazon Linux 2023 (glibc 2.34), so wheels
tagged manylinux2014 up to manylinux_2_34 fit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from trailwarden.config_rule.templates import HANDLER, RUNTIME
from trailwarden.errors import Error
from trailwarden.version import __version__

__all__ = [
    "ARCHITECTURES",
    "BUNDLED",
    "MAX_ZIP_BYTES",
    "PINS_FILE",
    "RUNTIMES",
    "BuiltZip",
    "PackageError",
    "Target",
    "build_zip",
]

# The handler's third-party imports that the Lambda runtime lacks.
BUNDLED = ("orjson", "google-re2")
RUNTIMES = ("python3.12", "python3.13")
ARCHITECTURES = {"x86_64": "x86_64", "arm64": "aarch64"}  # Lambda's name → the wheel tags'
MAX_ZIP_BYTES = 50 * 1024 * 1024  # Lambda's limit for a zip uploaded directly
PINS_FILE = "trailwarden-lambda-requirements.txt"
# Parts of trailwarden the handler never imports (and that need click, rich or moto).
_LEFT_OUT = ("cli", "demo", "__pycache__")
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip timestamps: the same input gives the same bytes


class PackageError(Error):
    """The deployment zip could not be built."""


@dataclass(frozen=True)
class Target:
    """Where the zip will run: a Lambda runtime and architecture, or (``local``) this
    interpreter and machine, for a test that imports the zip here."""

    runtime: str = RUNTIME
    architecture: str = "x86_64"
    local: bool = False

    def __post_init__(self) -> None:
        if self.runtime not in RUNTIMES:
            raise PackageError(
                f"The runtime {self.runtime!r} is not supported; choose {' or '.join(RUNTIMES)}."
            )
        if self.architecture not in ARCHITECTURES:
            raise PackageError(
                f"The architecture {self.architecture!r} is not a Lambda architecture; "
                f"choose {' or '.join(ARCHITECTURES)}."
            )

    def pip_options(self) -> list[str]:
        """pip's options to fetch wheels for this target."""
        if self.local:
            return []
        arch = ARCHITECTURES[self.architecture]
        platforms = [f"manylinux2014_{arch}"] + [
            f"manylinux_2_{minor}_{arch}" for minor in range(17, 35)
        ]
        options = [f"--platform={p}" for p in platforms]
        return [
            *options,
            f"--python-version={self.runtime.removeprefix('python')}",
            "--implementation=cp",
        ]

    def describe(self) -> str:
        return "this machine's Python" if self.local else f"{self.runtime} {self.architecture}"


@dataclass(frozen=True)
class BuiltZip:
    path: Path
    size: int
    pins: dict[str, str]  # distribution → version
    target: Target


def build_zip(output: Path, target: Target | None = None) -> BuiltZip:
    """Build the deployment zip at ``output``; raises :class:`PackageError` (pip could not
    fetch a wheel, the zip is too large, ``output`` cannot be written)."""
    target = target or Target()
    if not output.parent.is_dir():
        raise PackageError(
            f"Cannot write {output}: no folder {output.parent}; choose another --output."
        )
    pins = _pins()
    with tempfile.TemporaryDirectory(prefix="trailwarden-lambda-") as tmp:
        staging = Path(tmp)
        _copy_package(staging)
        _write_metadata(staging)
        _pip_install(staging, pins, target)
        (staging / PINS_FILE).write_text(_requirements(pins, target), encoding="utf-8")
        size = _zip(staging, output)
    if size > MAX_ZIP_BYTES:
        output.unlink(missing_ok=True)
        raise PackageError(
            f"The zip would be {size / 1e6:.1f} MB, over Lambda's 50 MB; report it, with the "
            "output of `pip list`."
        )
    return BuiltZip(output, size, pins, target)


def _pins() -> dict[str, str]:
    try:
        return {name: version(name) for name in BUNDLED}
    except PackageNotFoundError as exc:
        raise PackageError(
            f"{exc.name} is not installed here; install trailwarden with its dependencies "
            "(pip install trailwarden) and run again."
        ) from exc


def _copy_package(staging: Path) -> None:
    source = Path(__file__).resolve().parents[1]
    shutil.copytree(
        source,
        staging / "trailwarden",
        ignore=lambda folder, names: [
            n for n in names if n in _LEFT_OUT or n.endswith((".pyc", ".pyo"))
        ],
    )


def _write_metadata(staging: Path) -> None:
    info = staging / f"trailwarden-{__version__}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: trailwarden\nVersion: {__version__}\n", encoding="utf-8"
    )
    module, _, attr = HANDLER.rpartition(".")
    (info / "entry_points.txt").write_text(
        f"[trailwarden.lambda]\nconfig-rule = {module}:{attr}\n", encoding="utf-8"
    )


def _pip_install(staging: Path, pins: dict[str, str], target: Target) -> None:
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile", "--no-deps", "--only-binary=:all:", f"--target={staging}",
        *target.pip_options(), *(f"{name}=={v}" for name, v in pins.items()),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise PackageError(
            f"pip could not fetch {', '.join(f'{n}=={v}' for n, v in pins.items())} for "
            f"{target.describe()} ({last.removeprefix('ERROR: ')}); check access to PyPI."
        )
    for extra in staging.glob("*.dist-info/direct_url.json"):
        extra.unlink()  # pip's record of where the wheel came from: not deterministic


def _requirements(pins: dict[str, str], target: Target) -> str:
    lines = [
        f"# trailwarden {__version__} for AWS Lambda ({target.describe()}), handler {HANDLER}",
        "# boto3 and botocore come with the Lambda runtime; click, rich and moto are not needed.",
        f"trailwarden=={__version__}",
        *(f"{name}=={v}" for name, v in sorted(pins.items())),
    ]
    return "\n".join(lines) + "\n"


def _zip(staging: Path, output: Path) -> int:
    try:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(p for p in staging.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(staging).as_posix(), _EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                # Lambda runs code as another user: files must be world-readable.
                info.external_attr = (0o755 if path.suffix == ".so" else 0o644) << 16
                archive.writestr(info, path.read_bytes())
    except OSError as exc:
        raise PackageError(
            f"Cannot write {output}: {exc.strerror or exc}; choose another --output."
        ) from exc
    return output.stat().st_size
