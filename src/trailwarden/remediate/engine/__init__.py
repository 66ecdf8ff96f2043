"""The part of remediation that talks to AWS: look up what a plan needs (:mod:`.lookup`),
apply a plan with a write-ahead journal (:mod:`.apply`, :mod:`.journal`), roll a journal
back (:mod:`.rollback`, :mod:`.journal_state`), paced and patient (:mod:`.timing`)."""
