"""The orchestrator: paths to a LintResult (discover -> load -> engine), on one process or
several (`schedule`); and the same engine on one SignatureDef a Python caller hands over."""
