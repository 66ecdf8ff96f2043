"""Render the demo's HTML report in headless Chromium to docs/html-report.png.

    python docs/screenshot.py [--out docs/html-report.png] [--width 1400] [--height 1800]

Runs ``trailwarden demo --format html`` (the simulated AWS on loopback), then Debian's
``chromium`` (``apt-get install -y chromium``) with networking pointed nowhere
(``--proxy-server=127.0.0.1:9``): the page must render from the file alone.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("html-report.png"))
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1800)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium is not installed: apt-get install -y chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "trailwarden.html"
        subprocess.run(
            ["trailwarden", "demo", "--format", "html", "--output", str(page)], check=True
        )
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--proxy-server=127.0.0.1:9",  # nothing to fetch: any request would fail
                f"--window-size={args.width},{args.height}",
                f"--screenshot={args.out.resolve()}",
                page.as_uri(),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
