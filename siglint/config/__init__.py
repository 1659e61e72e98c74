"""What a run is configured with: config files (`files`), and the one place that resolves them
with the command line's flags into the Options the engine runs with (`settings`)."""
