"""trailwarden's version, in a module of its own.

Modules inside the package import it from here, never from the package root: the root is
the public API, which imports (lazily) from every layer, so importing it from below would
close a cycle.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
