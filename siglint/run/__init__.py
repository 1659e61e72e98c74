"""The orchestrator: paths to a LintResult (discover -> load -> engine), on one process or
several (`schedule`); the same engine on one SignatureDef a Python caller hands over; and
`scan`, saved_model_cli scan's denylist check."""
