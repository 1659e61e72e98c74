"""The project's own fixtures: specs of SavedModels (`spec`), the command that rebuilds every
fixture and golden from them (`regenerate`), and the exports TensorFlow itself makes
(`tf_exporters`). A developer tool: `siglint check` never imports it."""
