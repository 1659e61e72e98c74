"""A signature tensor name that no node of the graph produces.

## What it does
Resolves every tensor name of the served signatures (a `name`, and each component of a
`coo_sparse` or composite encoding) against the MetaGraphDef's graph, as TensorFlow does: the
part before `:` must be a node of the graph (for a `tf.saved_model.save` export, the
`serving_default_x` placeholder or the `StatefulPartitionedCall` node that runs the signature's
function), and the index after it must be one of that node's outputs, where siglint knows how
many the op has (from the op registry, or the function a call node runs).

## Why is this bad?
TF Serving feeds and fetches the signature's tensors by these names. One that does not exist
fails every request: `Tensor x:0, specified in either feed_devices or fetch_devices was not found
in the Graph`; an index past the node's outputs fails with `Node 'y' (type: 'Identity', num of
outputs: 1) does not have output 1` (the type TensorFlow names is that of the node after its
graph optimizations). It happens when a graph is edited, pruned or frozen after
the signature was built, or when a signature is written by hand.

## Example
```text
signature serving_default: outputs['y'] name: "scores:0"   # the graph's node is "Softmax"
```

Use instead:
```text
signature serving_default: outputs['y'] name: "Softmax:0"  # build_tensor_info(the tensor itself)
```

## References
- tensorflow/core/common_runtime/graph_execution_state.cc (`ValidateFeedAndFetchDevices`)
- tensorflow/core/graph/graph.cc (`Graph::IsValidOutputTensor`)
- tensorflow/core/graph/tensor_id.cc (`ParseTensorName`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.graph import parse_tensor_name


def check(context: GraphContext) -> Iterator[Problem]:
    graph = context.graph
    if graph is None:
        return
    for signature in context.meta_graph.signatures.values():
        if signature.is_op_signature:
            continue  # its op is the init op: SIG803
        for io, tensor in signature.tensors():
            for name in tensor.tensor_names:
                if not name:
                    continue  # an empty name is SIG503's
                op_name, index = parse_tensor_name(name)
                node = graph.nodes.get(op_name)
                where = {"signature": signature.key, "tensor": tensor.key, "io": io, "actual": name}
                if node is None or index < 0:
                    yield Problem(
                        f"{io} {tensor.key!r} names tensor {name}, which no node of the graph "
                        f"produces: every request fails with `Tensor {op_name}:{max(index, 0)}, specified "
                        "in either feed_devices or fetch_devices was not found in the Graph`",
                        expected="the name of a graph node's output",
                        **where,
                    )
                    continue
                outputs = graph.output_types(node)
                if outputs is not None and index >= len(outputs):
                    yield Problem(
                        f"{io} {tensor.key!r} names tensor {name}, but {node.op} node {op_name!r} has "
                        f"{len(outputs)} output{'' if len(outputs) == 1 else 's'}: every request fails "
                        f"with `Node '{op_name}' (type: ..., num of outputs: {len(outputs)}) does not "
                        f"have output {index}`",
                        expected=f"{op_name}:0" + (f" to {op_name}:{len(outputs) - 1}" if len(outputs) > 1 else ""),
                        **where,
                    )


RULE = Rule("SIG801", "dangling-tensor-name", Severity.ERROR, Scope.GRAPH, check, __name__)
