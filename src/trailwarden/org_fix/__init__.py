"""``trailwarden fix --org``: plan, apply and roll back across every account of an
organization, one account's plan, journal and rollback at a time.

- :mod:`.plan`: the organization scan (:mod:`trailwarden.org_scan`, its accounts and
  sessions), then each account's plan, as ``trailwarden fix`` makes it in that account;
- :mod:`.apply`: each planned account's apply, with its own journal in one directory;
- :mod:`.rollback`: every journal of such a directory, all verified before any call;
- :mod:`.sessions`: each account's :class:`~trailwarden.collect.clients.ClientFactory`.
"""
