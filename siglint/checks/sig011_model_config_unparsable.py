"""models.config cannot be read or parsed as a ModelServerConfig text proto.

## What it does
Reads the file given with `--model-config-file` (the server's `--model_config_file`, or
`model-config-file` in siglint's config) as the server does: the whole file, parsed strictly as a
`tensorflow.serving.ModelServerConfig` in protobuf text format. Reports a file that cannot be read
and the first parse error, at its line and column (an unknown field, a misspelt enum, a missing
brace, a string where a number belongs).

## Why is this bad?
The server does not start: `Failed to start server. Error: INVALID_ARGUMENT: Invalid protobuf
file: '<file>'`, after logging the parser's error (`Error parsing text-format
tensorflow.serving.ModelServerConfig: 3:5: ...`). When the file is polled
(`--model_config_file_poll_wait_seconds`), a bad edit is only logged and the old models stay.

## Example
```text
model_config_list {
  config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
  config { name: "fraud" basepath: "/models/fraud" model_platform: "tensorflow" }
}
```

Use instead:
```text
model_config_list {
  config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
  config { name: "fraud" base_path: "/models/fraud" model_platform: "tensorflow" }
}
```

## References
- tensorflow_serving/model_servers/server.cc (`ParseProtoTextFile`, `Server::BuildAndStart`)
- tensorflow_serving/config/model_server_config.proto
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ServerConfigContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ServerConfigContext) -> Iterator[Problem]:
    failure = context.config.failure
    if failure is not None:
        yield Problem(failure.message, line=failure.line, column=failure.column)


RULE = Rule("SIG011", "model-config-unparsable", Severity.ERROR, Scope.SERVER_CONFIG, check, __name__)
