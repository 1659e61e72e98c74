"""A signature tensor's dtype is not the dtype of the graph tensor it names.

## What it does
Compares the `dtype` of every named tensor of the served signatures with the dtype of the graph
output its name resolves to (SIG801), where siglint can tell it: from the node's attributes and
its op's definition (the op registry), or from the signature of the function a call node runs.

## Why is this bad?
Clients build requests from the signature (GetModelMetadata, `saved_model_cli show`): an input
declared DT_INT64 whose placeholder is DT_INT32 makes every request that follows the signature
fail inside TensorFlow (`Expects arg[0] to be int32 but int64 is provided`), and an output's
declared dtype is not what the response holds. Such a signature is edited by hand or built
from another graph than the one saved.

## Example
```text
inputs['ids'] dtype: DT_INT64 name: "ids:0"    # node ids: Placeholder, dtype DT_INT32
```

Use instead:
```text
inputs['ids'] dtype: DT_INT32 name: "ids:0"    # build_tensor_info(the placeholder itself)
```

## References
- tensorflow/python/saved_model/utils_impl.py (`build_tensor_info`: the tensor's own dtype)
- tensorflow/core/framework/op_def.proto (`OpDef.ArgDef`: how an op's outputs are typed)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.graph import parse_tensor_name
from siglint.savedmodel.dtypes import DT_INVALID, dtype_name


def check(context: GraphContext) -> Iterator[Problem]:
    graph = context.graph
    if graph is None:
        return
    for signature in context.meta_graph.signatures.values():
        if signature.is_op_signature:
            continue
        for io, tensor in signature.tensors():
            if tensor.encoding != "name" or not tensor.name or tensor.dtype == DT_INVALID:
                continue  # components of sparse and composite tensors have dtypes of their own
            op_name, index = parse_tensor_name(tensor.name)
            node = graph.nodes.get(op_name)
            outputs = None if node is None or index < 0 else graph.output_types(node)
            if outputs is None or index >= len(outputs) or outputs[index] == tensor.dtype:
                continue
            yield Problem(
                f"{io} {tensor.key!r} is declared {tensor.dtype_name}, but {tensor.name} "
                f"({node.op if node else '?'} node {op_name!r}) is {dtype_name(outputs[index])}: "
                "clients that follow the signature send or expect the wrong type",
                signature=signature.key,
                tensor=tensor.key,
                io=io,
                expected=dtype_name(outputs[index]),
                actual=tensor.dtype_name,
            )


RULE = Rule("SIG802", "tensor-dtype-mismatch", Severity.WARNING, Scope.GRAPH, check, __name__)
