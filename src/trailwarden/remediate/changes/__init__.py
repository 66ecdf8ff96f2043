"""Every kind of change trailwarden can make, one module each, registered in :data:`CHANGES`.

The engine (apply, rollback), the journal's undo and the renderers look a step's change
up here (``CHANGES[step.action]``) instead of dispatching on the action themselves. To add
a kind of change: add its :class:`~trailwarden.remediate.model.Action` member, write its
module (a :class:`~.base.Change` subclass; see any module here), and register it below.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from trailwarden.remediate.changes.base import Change
from trailwarden.remediate.changes.create_log_group import CreateLogGroup
from trailwarden.remediate.changes.create_role import CreateRole
from trailwarden.remediate.changes.create_topic import CreateTopic
from trailwarden.remediate.changes.enable_alarm_actions import EnableAlarmActions
from trailwarden.remediate.changes.put_metric_alarm import PutMetricAlarm
from trailwarden.remediate.changes.put_metric_filter import PutMetricFilter
from trailwarden.remediate.changes.put_retention_policy import PutRetentionPolicy
from trailwarden.remediate.changes.put_role_policy import PutRolePolicy
from trailwarden.remediate.changes.start_logging import StartLogging
from trailwarden.remediate.changes.subscribe import Subscribe
from trailwarden.remediate.changes.update_assume_role_policy import UpdateAssumeRolePolicy
from trailwarden.remediate.changes.update_trail import UpdateTrail
from trailwarden.remediate.model import Action

__all__ = ["CHANGES", "Change"]

CHANGES: Mapping[Action, Change] = MappingProxyType(
    {
        change.action: change
        for change in (
            CreateLogGroup(),
            PutRetentionPolicy(),
            CreateRole(),
            PutRolePolicy(),
            UpdateAssumeRolePolicy(),
            UpdateTrail(),
            StartLogging(),
            PutMetricFilter(),
            CreateTopic(),
            Subscribe(),
            PutMetricAlarm(),
            EnableAlarmActions(),
        )
    }
)
