"""Collection: boto3 (or a saved inventory file) → :class:`~trailwarden.inventory.Inventory`.

Nothing here creates an AWS client at import time; :mod:`trailwarden.collect.clients`
builds them on first use.
"""
