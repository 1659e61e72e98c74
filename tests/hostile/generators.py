"""Hostile artefacts, built in a scratch folder: each function writes one and returns the path to
check. They build with siglint's own schema or raw bytes, never TensorFlow, so the suite runs
anywhere; sizes are parameters so that the benchmark (bench/hostile.py) can run them full size."""

from __future__ import annotations

import os
from pathlib import Path

from wire import field

from siglint.savedmodel.proto import SavedModel

PREDICT = "tensorflow/serving/predict"


def version_folder(root: Path, name: str = "model") -> Path:
    folder = root / name / "1"
    folder.mkdir(parents=True)
    return folder


def _model(signatures: int = 1, inputs: int = 1, same_tensor: bool = False) -> SavedModel:
    model = SavedModel()
    meta_graph = model.meta_graphs.add()
    meta_graph.meta_info_def.tags.append("serve")
    for index in range(signatures):
        key = "serving_default" if index == 0 else f"sig_{index}"
        signature = meta_graph.signature_def[key]
        signature.method_name = PREDICT
        for number in range(inputs):
            tensor = signature.inputs[f"x{number}" if inputs > 1 else "x"]
            tensor.name = "x:0" if same_tensor else f"x{index}_{number}:0"
            tensor.dtype = 1
            tensor.tensor_shape.dim.add().size = -1
        output = signature.outputs["y"]
        output.name = f"y{index}:0"
        output.dtype = 1
        output.tensor_shape.dim.add().size = -1
    return model


def many_signatures(root: Path, count: int) -> Path:
    """`count` clean Predict signatures in one MetaGraphDef."""
    folder = version_folder(root)
    (folder / "saved_model.pb").write_bytes(_model(signatures=count).SerializeToString())
    return root / "model"


def many_inputs_one_tensor(root: Path, count: int) -> Path:
    """One signature whose `count` inputs all name the same tensor `x:0`."""
    folder = version_folder(root)
    (folder / "saved_model.pb").write_bytes(_model(inputs=count, same_tensor=True).SerializeToString())
    return root / "model"


def renamed_inputs(root: Path, count: int) -> Path:
    """many_inputs_one_tensor's signature with every input under another key (`z<n>`)."""
    folder = version_folder(root)
    model = _model(inputs=count, same_tensor=True)
    signature = model.meta_graphs[0].signature_def["serving_default"]
    inputs = dict(signature.inputs)
    signature.ClearField("inputs")
    for key, tensor in inputs.items():
        signature.inputs["z" + key[1:]].CopyFrom(tensor)
    (folder / "saved_model.pb").write_bytes(model.SerializeToString())
    return root / "model"


def _with_graph(graph: bytes) -> bytes:
    """A clean model whose MetaGraphDef carries `graph` as its graph_def's bytes."""
    meta_graph = _model().meta_graphs[0].SerializeToString()
    return field(2, meta_graph + field(2, graph))


def zero_graph(root: Path, mebibytes: int) -> Path:
    """A graph_def of zero bytes (field number 0): corrupt, as TensorFlow says."""
    folder = version_folder(root)
    (folder / "saved_model.pb").write_bytes(_with_graph(bytes(mebibytes << 20)))
    return root / "model"


def empty_nodes_graph(root: Path, count: int) -> Path:
    """A valid graph_def of `count` empty NodeDefs (two bytes each)."""
    folder = version_folder(root)
    (folder / "saved_model.pb").write_bytes(_with_graph(b"\x0a\x00" * count))
    return root / "model"


def text_with_constant(root: Path, megabytes: int, one_line: bool = False) -> Path:
    """A `saved_model.pbtxt` as `Builder.save(as_text=True)` writes it: nodes, then a constant of
    about `megabytes` MB of escaped bytes, then the signatures."""
    folder = version_folder(root)
    newline = " " if one_line else "\n"
    piece = b"\\000\\377" * 125_000  # 1 MB: the artefact is written, never held
    with open(folder / "saved_model.pbtxt", "wb") as stream:
        stream.write(f'meta_graphs {{{newline}  meta_info_def {{ tags: "serve" }}{newline}  graph_def {{{newline}'.encode())
        stream.write(f'    node {{ name: "x" op: "Placeholder" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} }}{newline}'.encode())
        stream.write(f'    node {{ name: "y" op: "Identity" input: "x" attr {{ key: "T" value {{ type: DT_FLOAT }} }} }}{newline}'.encode())
        for index in range(20):
            stream.write(f'    node {{ name: "n{index}" op: "Identity" input: "x:0" attr {{ key: "T" value {{ type: DT_FLOAT }} }} }}{newline}'.encode())
        stream.write(b'    node { name: "c" op: "Const" attr { key: "value" value { tensor { dtype: DT_STRING tensor_content: "')
        for _ in range(megabytes):
            stream.write(piece)
        stream.write(f'" }} }} }} }}{newline}  }}{newline}'.encode())
        stream.write(
            f'  signature_def {{ key: "serving_default" value {{ inputs {{ key: "x" value {{ name: "x:0" dtype: DT_FLOAT'
            f' tensor_shape {{ dim {{ size: -1 }} }} }} }} outputs {{ key: "y" value {{ name: "y:0" dtype: DT_FLOAT'
            f' tensor_shape {{ dim {{ size: -1 }} }} }} }} method_name: "{PREDICT}" }} }}{newline}}}{newline}'.encode()
        )
    return root / "model"


def text_value_error_one_line(root: Path, megabytes: int) -> Path:
    """A one-line `.pbtxt` with a bad value after `megabytes` MB: its error must not quote the line."""
    folder = version_folder(root)
    padding = " " * (megabytes << 20)
    (folder / "saved_model.pbtxt").write_text(f'meta_graphs {{ meta_info_def {{ tags: "serve" }}{padding} saved_model_schema_version: x }}')
    return root / "model"


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def zero_device_link(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")
    return path


def yaml_alias_bomb(path: Path, levels: int = 9) -> Path:
    """The billion-laughs shape: each anchor a list of ten of the last (about 560 bytes)."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    lines.append(f"contracts: *a{levels}")
    path.write_text("\n".join(lines) + "\n")
    return path


def deep_json(path: Path, depth: int) -> Path:
    path.write_text("[" * depth + "]" * depth)
    return path


def deep_toml(path: Path, depth: int) -> Path:
    path.write_text("select = " + "[" * depth + "]" * depth + "\n")
    return path


def huge_integer(path: Path, digits: int = 5000) -> Path:
    if path.suffix == ".toml":
        path.write_text(f"select = {'9' * digits}\n")
    else:
        path.write_text(f'{{"version": {"9" * digits}}}')
    return path


def backtracking_glob_config(path: Path, stars: int = 30) -> Path:
    """A per-path-ignores glob that a backtracking matcher takes exponential time on."""
    pattern = "*a" * stars + "b"
    path.write_text(f'[per-path-ignores]\n"{pattern}" = ["SIG5"]\n')
    return path


def deep_tree(root: Path, depth: int) -> Path:
    """A folder chain `depth` levels deep (built with relative steps: no path gets too long)."""
    here = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=here)
            below = os.open("d", os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = below
    finally:
        os.close(here)
    return root


def remove_deep_tree(root: Path) -> None:
    """Undo deep_tree without recursion (shutil.rmtree recurses, and fails at this depth)."""
    fds = [os.open(root, os.O_RDONLY)]
    try:
        while "d" in os.listdir(fds[-1]):
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        while len(fds) > 1:
            os.close(fds.pop())
            os.rmdir("d", dir_fd=fds[-1])
    finally:
        for fd in fds:
            os.close(fd)


def control_character_model(root: Path) -> Path:
    """A signature keyed with terminal and CI-log escapes, bidi overrides and line separators."""
    folder = version_folder(root)
    model = _model()
    hostile = "evil\x1b]0;owned\x07\x1b[2J\x7f\u0085\u2028\u202e\r\n::error::x"
    signature = model.meta_graphs[0].signature_def[hostile]
    signature.CopyFrom(model.meta_graphs[0].signature_def["serving_default"])
    signature.method_name = "tensorflow/serving/classify"  # so that findings quote the key
    (folder / "saved_model.pb").write_bytes(model.SerializeToString())
    return root / "model"


def undecodable_name(root: Path) -> Path:
    """A model under a folder whose name is not UTF-8."""
    name = os.fsdecode(b"m\xff\xfe")
    folder = version_folder(root, name)
    (folder / "saved_model.pb").write_bytes(b"not a model")
    return root


# --- TF Lite models (siglint's fixture writer, siglint.fixturegen.flatbuffer_writer) ---------------


def tflite_bytes_with_weights(weights: int, key: str = "serving_default", tensor_names: tuple[str, str] = ("serving_default_x:0", "StatefulPartitionedCall:0")) -> bytes:
    """A clean TF Lite model (native signature table and TF Serving's signature_defs_metadata,
    which agree) with a constant of `weights` bytes, laid out as the converter lays models out:
    the root table, signatures and metadata before the weights, the subgraph's tensors after."""
    from siglint.fixturegen import spec as specs
    from siglint.fixturegen.flatbuffer_writer import (
        String,
        Table,
        Vector,
        flatbuffer,
        flexbuffer_map,
    )
    from siglint.savedmodel import tflite_schema as schema

    x, y = tensor_names
    signature = specs.SignatureSpec(
        PREDICT, {"x": specs.TensorSpec("DT_FLOAT", (-1, 3), x)}, {"y": specs.TensorSpec("DT_FLOAT", (-1, 1), y)}
    )
    metadata = flexbuffer_map({key.encode(): specs.signature_def(signature).SerializeToString(deterministic=True)})

    def tensor(name: str, shape: list[int], buffer: int = 0) -> Table:
        return Table({
            schema.TensorField.NAME: String(name.encode()), schema.TensorField.TYPE: ("<b", 0),
            schema.TensorField.SHAPE: Vector("<i", shape), schema.TensorField.BUFFER: ("<I", buffer),
            schema.TensorField.SHAPE_SIGNATURE: Vector("<i", [-1, *shape[1:]]),
        })

    def tensor_map(name: str, index: int) -> Table:
        return Table({schema.TensorMapField.NAME: String(name.encode()), schema.TensorMapField.TENSOR_INDEX: ("<I", index)})

    subgraph = Table({
        schema.SubGraphField.TENSORS: Vector(None, [tensor(x, [1, 3]), tensor(y, [1, 1]), tensor("weights", [max(weights // 4, 1)], buffer=1)]),
        schema.SubGraphField.INPUTS: Vector("<i", [0]),
        schema.SubGraphField.OUTPUTS: Vector("<i", [1]),
        schema.SubGraphField.NAME: String(b"main"),
    })
    model = Table({
        schema.ModelField.VERSION: ("<I", schema.SCHEMA_VERSION),
        schema.ModelField.SIGNATURE_DEFS: Vector(None, [Table({
            schema.SignatureDefField.INPUTS: Vector(None, [tensor_map("x", 0)]),
            schema.SignatureDefField.OUTPUTS: Vector(None, [tensor_map("y", 1)]),
            schema.SignatureDefField.SIGNATURE_KEY: String(key.encode()),
        })]),
        schema.ModelField.METADATA: Vector(None, [Table({
            schema.MetadataField.NAME: String(schema.SIGNATURE_DEFS_METADATA.encode()), schema.MetadataField.BUFFER: ("<I", 2),
        })]),
        schema.ModelField.BUFFERS: Vector(None, [
            Table({}),
            Table({schema.BufferField.DATA: Vector("B", bytes(weights), align=16)}),
            Table({schema.BufferField.DATA: Vector("B", metadata, align=16)}),
        ]),
        schema.ModelField.SUBGRAPHS: Vector(None, [subgraph]),
    })
    return flatbuffer(model, schema.FILE_IDENTIFIER)


def tflite_with_weights(root: Path, mib: int) -> Path:
    """A clean `.tflite` of `mib` MiB, nearly all of it one constant."""
    path = root / "large.tflite"
    path.write_bytes(tflite_bytes_with_weights(mib << 20))
    return path


def tflite_huge_vectors(root: Path) -> Path:
    """A small `.tflite` whose signature_defs vector claims 2^32 - 1 entries."""
    data = bytearray(tflite_bytes_with_weights(16))
    from siglint.io.flatbuffer import Pages
    from siglint.io.flatbuffer import root as root_table
    from siglint.io.source import LOCAL
    from siglint.savedmodel.tflite_schema import ModelField

    path = root / "huge.tflite"
    path.write_bytes(bytes(data))
    source = LOCAL.open(str(path))
    try:
        vector = root_table(Pages(source), "Model").vector(ModelField.SIGNATURE_DEFS, "signature_defs", 4)
        assert vector is not None
        data[vector.start - 4:vector.start] = b"\xff\xff\xff\xff"
    finally:
        source.close()
    path.write_bytes(bytes(data))
    return path


def tflite_many_signatures(root: Path, count: int, inputs: int) -> Path:
    """A `.tflite` whose native table holds `count` signatures of `inputs` inputs each."""
    from siglint.fixturegen import spec as specs
    from siglint.fixturegen.tflite_spec import (
        SignatureDefSpec,
        SubgraphSpec,
        TensorSpec,
        TfliteSpec,
        tflite_bytes,
    )

    graph = SubgraphSpec("main", (TensorSpec("x:0", 0, (1,)), TensorSpec("y:0", 0, (1,))), (0,), (1,))
    signature = [SignatureDefSpec(f"s{n}", 0, tuple((f"x{i}", 0) for i in range(inputs)), (("y", 1),)) for n in range(count)]
    path = root / "many.tflite"
    path.write_bytes(tflite_bytes(TfliteSpec("m", (graph,), tuple(signature)), specs.signature_def))
    return path


def tflite_flexbuffer_bomb(root: Path) -> Path:
    """A `.tflite` whose signature_defs_metadata is a FlexBuffer map claiming 2^62 keys."""
    from siglint.fixturegen import spec as specs
    from siglint.fixturegen.tflite_spec import SubgraphSpec, TensorSpec, TfliteSpec, tflite_bytes

    # root: an offset of 8 back to a map of 8-byte values whose keys vector claims 2^62 entries.
    bomb = (1 << 62).to_bytes(8, "little") + (8).to_bytes(8, "little") + (8).to_bytes(8, "little") + (0).to_bytes(8, "little") + bytes([8, (9 << 2) | 3, 8])
    graph = SubgraphSpec("main", (TensorSpec("x:0", 0, (1,)), TensorSpec("y:0", 0, (1,))), (0,), (1,))
    path = root / "bomb.tflite"
    path.write_bytes(tflite_bytes(TfliteSpec("m", (graph,), metadata=(("signature_defs_metadata", bomb),)), specs.signature_def))
    return path


def tflite_control_characters(root: Path) -> Path:
    """A `.tflite` whose signature key and tensor names hold terminal escapes and bidi overrides."""
    hostile = "evil\x1b]0;owned\x07\x1b[2J\u202e\r\n::error::x"
    path = root / "evil.tflite"
    path.write_bytes(tflite_bytes_with_weights(16, key=hostile, tensor_names=(hostile + ":0", "y:0")))
    return path


class _SharedLayout:
    """A FlatBuffer laid out by hand, where any number of offsets may name one table or vector
    (what a converter never writes and a stranger can): `ref` fields are patched to labels."""

    def __init__(self) -> None:
        import struct

        self.struct = struct
        self.out = bytearray(8)
        self.out[4:8] = b"TFL3"
        self.patches: list[tuple[int, str]] = []
        self.labels: dict[str, int] = {}

    def here(self, label: str | None = None) -> int:
        while len(self.out) % 4:
            self.out.append(0)
        if label:
            self.labels[label] = len(self.out)
        return len(self.out)

    def vtable(self, slots: dict[int, int], size: int) -> int:
        count = max(slots) + 1
        position = self.here()
        self.out += self.struct.pack(f"<{2 + count}H", 4 + 2 * count, size, *(slots.get(i, 0) for i in range(count)))
        return position

    def table(self, vtable: int, fields: list[tuple[int, str, object]], size: int, label: str | None = None) -> int:
        position = self.here(label)
        self.out += bytes(size)
        self.struct.pack_into("<i", self.out, position, position - vtable)
        for offset, kind, value in fields:
            if kind == "ref":
                self.patches.append((position + offset, str(value)))
            else:
                self.struct.pack_into(kind, self.out, position + offset, value)
        return position

    def refs(self, label: str, count: int, target: str) -> None:
        self.here(label)
        self.out += self.struct.pack("<I", count)
        for _ in range(count):
            self.patches.append((len(self.out), target))
            self.out += bytes(4)

    def raw(self, label: str, data: bytes) -> None:
        self.here(label)
        self.out += data

    def bytes(self, root: int) -> bytes:
        self.struct.pack_into("<I", self.out, 0, root)
        for position, label in self.patches:
            self.struct.pack_into("<I", self.out, position, self.labels[label] - position)
        return bytes(self.out)


def tflite_shared_tensors(root: Path, subgraphs: int, tensors: int, rank: int, signatures: int) -> Path:
    """A small `.tflite` whose `signatures` signatures name `subgraphs` subgraphs that all share
    one vector of `tensors` inputs and outputs, each the same tensor of rank `rank`: a few KB
    that claim millions of dimensions."""
    import struct

    b = _SharedLayout()
    model = b.table(b.vtable({0: 4, 2: 8, 4: 12, 7: 16}, 20),
                    [(4, "<I", 3), (8, "ref", "subgraphs"), (12, "ref", "buffers"), (16, "ref", "signatures")], 20)
    b.refs("subgraphs", subgraphs, "subgraph")
    b.raw("buffers", struct.pack("<I", 0))
    b.here("signatures")
    b.out += struct.pack("<I", signatures)
    slots = []
    for _ in range(signatures):
        slots.append(len(b.out))
        b.out += bytes(4)
    signature_vtable = b.vtable({0: 8, 1: 12, 2: 4, 4: 16}, 20)
    for index in range(signatures):
        position = b.table(signature_vtable, [(4, "ref", "key"), (8, "ref", "maps"), (12, "ref", "empty"),
                                              (16, "<I", index % subgraphs)], 20)
        struct.pack_into("<I", b.out, slots[index], position - slots[index])
    b.table(b.vtable({0: 4, 1: 8, 2: 12}, 16), [(4, "ref", "tensors"), (8, "ref", "io"), (12, "ref", "io")], 16, "subgraph")
    b.refs("tensors", tensors, "tensor")
    b.raw("io", struct.pack(f"<I{tensors}i", tensors, *range(tensors)))
    b.table(b.vtable({0: 4, 1: 16, 3: 8, 7: 12}, 20),
            [(4, "ref", "shape"), (8, "ref", "name"), (12, "ref", "shape"), (16, "<b", 0)], 20, "tensor")
    b.raw("shape", struct.pack(f"<I{rank}i", rank, *([1] * rank)))
    b.raw("name", struct.pack("<I", 1) + b"t\0")
    b.raw("key", struct.pack("<I", 1) + b"k\0")
    b.raw("empty", struct.pack("<I", 0))
    b.refs("maps", 1, "map")
    b.table(b.vtable({0: 4, 1: 8}, 12), [(4, "ref", "alias"), (8, "<I", 0)], 12, "map")
    b.raw("alias", struct.pack("<I", 1) + b"a\0")
    path = root / "shared.tflite"
    path.write_bytes(b.bytes(model))
    return path


def tflite_shared_metadata(root: Path, entries: int, size: int) -> Path:
    """A `.tflite` of `entries` signature_defs_metadata entries that all name one buffer of
    `size` bytes: the server reads the first, a careless reader copies it `entries` times."""
    import struct

    b = _SharedLayout()
    model = b.table(b.vtable({0: 4, 2: 8, 4: 12, 6: 16}, 20),
                    [(4, "<I", 3), (8, "ref", "subgraphs"), (12, "ref", "buffers"), (16, "ref", "metadata")], 20)
    b.refs("subgraphs", 1, "subgraph")
    b.refs("buffers", 1, "buffer")
    b.refs("metadata", entries, "entry")
    b.table(b.vtable({0: 4}, 8), [(4, "ref", "empty")], 8, "subgraph")
    b.table(b.vtable({0: 4, 1: 8}, 12), [(4, "ref", "name"), (8, "<I", 0)], 12, "entry")
    b.table(b.vtable({0: 4}, 8), [(4, "ref", "data")], 8, "buffer")
    name = b"signature_defs_metadata"
    b.raw("name", struct.pack("<I", len(name)) + name + b"\0")
    b.raw("empty", struct.pack("<I", 0))
    b.raw("data", struct.pack("<I", size) + b"\x01" * size)
    path = root / "metadata.tflite"
    path.write_bytes(b.bytes(model))
    return path
