"""Planning, pure: findings + inventory + :class:`~.options.FixOptions` → a Plan, no AWS call.

:mod:`.plan` is the entry point; :mod:`.planner` drives one pass over the trails
(:mod:`.integration`, :mod:`.roles` for TW001–TW003) and then the monitoring checks
(:mod:`.monitoring`, :mod:`.chain`). The steps are built by their changes."""
