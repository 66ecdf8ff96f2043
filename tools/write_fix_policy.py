"""Write ``policies/trailwarden-fix.json`` from the registry of changes.

    python tools/write_fix_policy.py

Edit a change's permissions, run this, and commit both (``tests/test_fix_policy.py``
checks they agree).
"""

from __future__ import annotations

import json
from pathlib import Path

from trailwarden.remediate.changes.permissions import fix_policy

POLICY = Path(__file__).resolve().parents[1] / "policies" / "trailwarden-fix.json"


def main() -> None:
    POLICY.write_text(json.dumps(fix_policy(), indent=2) + "\n", encoding="utf-8")
    print(POLICY)


if __name__ == "__main__":
    main()
