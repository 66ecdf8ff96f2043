"""trailwarden as an AWS Config custom rule: a Lambda handler that runs the scan's checks
inside every account and region, and what deploys it.

- :mod:`.handler` — the Lambda entry point (``trailwarden.lambda`` entry point
  ``config-rule``): Config events → scan → ``PutEvaluations``; EventBridge drift events →
  ``StartConfigRulesEvaluation``.
- :mod:`.triggers` — the events it is invoked with, parsed (pure).
- :mod:`.parameters` — the rule's parameters, validated (pure).
- :mod:`.evaluations` — findings → Config evaluations (pure).
- :mod:`.drift` — the EventBridge pattern of the API calls that break the chain (data).
- :mod:`.config_api` — the AWS Config calls (batched, throttling handled).
- :mod:`.package` — the deployment zip; :mod:`.templates` (its parameters:
  :mod:`.template_parameters`), :mod:`.org_template` — the
  CloudFormation templates (``trailwarden lambda package|template``).

Nothing here imports click, rich or moto: the deployment zip leaves them out.
"""
