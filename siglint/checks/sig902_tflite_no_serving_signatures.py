"""TF Lite model without the `signature_defs_metadata` TF Serving reads its signatures from.

## What it does
Checks that a TF Lite model carries the `signature_defs_metadata` metadata entry (a FlexBuffer
map from signature key to a serialized `tensorflow.SignatureDef`), the only place TF Serving's
TF Lite servable reads signatures from. The converter does not write it: TF Lite's
`signature_def_utils.set_signature_defs` adds it. An entry that is not a FlexBuffer map, or an
empty one, counts as none, as the server reads it.

## Why is this bad?
Without it TF Serving logs `No signature def found in TFLite model. Generating one.` and serves
one `serving_default` Predict signature made from subgraph 0's input and output tensors, keyed
by their tensor names up to the first `:` (`serving_default_x`, `StatefulPartitionedCall`), not
by the SavedModel's keys. The model's native signatures are not served: several collapse into
the one of subgraph 0 (the first by key, which need not be `serving_default`,
tensorflow/serving#2070), and outputs whose names differ only after a `:` (`PartitionedCall:0`,
`PartitionedCall:1`) collapse into one key, the others lost. Clients written against the
SavedModel's signature fail with unknown input keys.

## Example
```text
model.tflite: signature_defs [serving_default (subgraph 0): x -> y]; metadata: min_runtime_version
```

Use instead (TF Lite's tensorflow/lite/tools/signature/signature_def_utils.py):
```text
signature_def_utils.set_signature_defs(tflite_model, {"serving_default": signature_def})
```

## References
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`TfLiteSession::Create`, `TfToTfLiteLegacyTensorName`)
- tensorflow/lite/tools/signature/signature_def_util.cc (`GetSignatureDefMap`, `kSignatureDefsMetadataName`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.io.quoting import listed
from siglint.savedmodel import constants


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite import SYNTHESISED_LOG, lost_in_synthesis
    from siglint.model.tflite_view import METADATA_NOT_A_MAP, text

    view = tflite(context)
    if not view.synthesised:
        return
    subgraph = view.file.subgraphs[0]
    where = "subgraph 0" + (f" ({text(subgraph.name)})" if subgraph.name else "")
    served = context.model.meta_graphs[0].signatures[constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
    why = (
        "its signature_defs_metadata is not a FlexBuffer map, which the server reads as no signatures"
        if view.metadata == METADATA_NOT_A_MAP else "the model has no signature_defs_metadata"
    )
    message = (
        f"{why}: TF Serving logs `{SYNTHESISED_LOG}` and serves one serving_default of the tensors of {where}, "
        f"keyed by tensor name: inputs {listed(served.inputs)}; outputs {listed(served.outputs)}"
    )
    names = {
        io: [text(subgraph.tensors[index].name) for index in indices if index in subgraph.tensors]
        for io, indices in (("inputs", subgraph.inputs), ("outputs", subgraph.outputs))
    }
    lost = lost_in_synthesis(names["inputs"]) + lost_in_synthesis(names["outputs"])
    if lost:
        message += f" ({listed(lost)} lost: a later tensor name takes {'their keys' if len(lost) > 1 else 'its key'})"
    native = sorted({signature.key for signature in view.native or ()})
    if native:
        message += f"; not the model's own signature{'s' if len(native) > 1 else ''} {listed(native)}"
    yield Problem(message, expected="a signature_defs_metadata entry", actual="none")


RULE = Rule(
    "SIG902", "tflite-no-serving-signatures", Severity.WARNING, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
