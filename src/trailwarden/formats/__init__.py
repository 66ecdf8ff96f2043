"""Renderers: a :class:`~trailwarden.findings.Report` → text for people or machines.

Each format is one module behind :class:`trailwarden.formats.base.Format`, registered in
:data:`trailwarden.formats.base.FORMATS`."""
