"""The rule engine: the server profile and options a run is configured with, what a rule is and
what it sees, the intent a signature is inferred to serve, the contract-pack language, and the
Engine that runs the selected rules and stamps their findings."""
