"""Shared test helpers.

Three things the tests need may be missing on a developer's machine: TensorFlow (the `test` extra
installs it), tensorflow-serving-api (installed next to it with `--no-deps`, see the README's test
command) and TF Serving's own test SavedModels. Those live outside this repository, in
`../shared/testdata/tf-serving` beside the checkout in CI, or wherever SIGLINT_TF_SERVING_TESTDATA
points. Every test that needs them goes through the `tf`, `serving_api` or `testdata` fixture, which skips with
a reason outside CI and fails in CI (CI=true), so CI never skips them silently.

The `slow` marker tags the long differential and fuzz tests (`pytest -m "not slow"` leaves them
out); the fuzzers run their full counts in CI and fewer variants elsewhere (`scaled`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTDATA_VARIABLE = "SIGLINT_TF_SERVING_TESTDATA"
TESTDATA = Path(os.environ.get(TESTDATA_VARIABLE) or ROOT.parent / "shared" / "testdata" / "tf-serving")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def scaled(in_ci: int, elsewhere: int) -> int:
    """A fuzzer's variant count: `in_ci` in CI, `elsewhere` on a developer's machine."""
    return in_ci if IN_CI else elsewhere


def _require(what: str, how: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required in CI ({how})", pytrace=False)
    pytest.skip(f"{what} is not available ({how})")


@pytest.fixture(scope="session")
def tf() -> Any:
    """The `tensorflow` module (imported lazily: only TensorFlow tests pay for it)."""
    try:
        import tensorflow
    except ImportError:
        _require("TensorFlow", 'pip install -e ".[test]"')
    return tensorflow


@pytest.fixture(scope="session")
def testdata() -> Path:
    """TF Serving's own test SavedModels (tensorflow_serving/servables/tensorflow/testdata)."""
    if not TESTDATA.is_dir():
        _require(
            f"TF Serving's test models folder {TESTDATA}",
            f"CI has it beside the checkout; set {TESTDATA_VARIABLE} to a copy elsewhere",
        )
    return TESTDATA


@pytest.fixture(scope="session")
def show_exports(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The models of tests/show_exports.py, exported by TensorFlow once per run: name -> folder."""
    import show_exports as exporters

    root = tmp_path_factory.mktemp("show_exports")
    paths = {}
    for name, export in exporters.EXPORTERS.items():
        paths[name] = root / name / "1"
        export(tf, paths[name])
    return paths


@pytest.fixture(scope="session")
def tf_text(tf: Any) -> Any:
    """TF Text, whose ops a stock TF Serving links: the op registry's TF Text section comes from
    it, and TensorFlow needs its ops to import tf_text_regression's graph. Installed without its
    dependencies (it requires the `tensorflow` package, which must not join `tensorflow-cpu`)."""
    try:
        import tensorflow_text
    except ImportError:
        _require("TF Text", 'pip install --no-deps "tensorflow-text~=<TensorFlow\'s version>"')
    return tensorflow_text


@pytest.fixture(scope="session")
def serving_api(tf: Any) -> Any:
    """tensorflow-serving-api's message modules, TF Serving's own API protos: the oracle of the
    GetModelMetadata and deployment tests (a namespace: `serving_api.get_model_metadata_pb2`,
    `serving_api.predict_pb2`, `serving_api.model_server_config_pb2`, ...). The package requires
    the `tensorflow` package, which must not be installed beside `tensorflow-cpu`, so it is
    installed without its dependencies (.ci/run)."""
    import types

    try:
        from tensorflow_serving.apis import (
            classification_pb2,
            get_model_metadata_pb2,
            inference_pb2,
            input_pb2,
            model_pb2,
            predict_pb2,
            prediction_log_pb2,
            regression_pb2,
            session_service_pb2,
        )
        from tensorflow_serving.config import model_server_config_pb2
    except ImportError:
        _require(
            "tensorflow-serving-api",
            "python -m pip install --no-deps tensorflow-serving-api==2.21.0, as the README's test command does",
        )
    return types.SimpleNamespace(**{
        module.__name__.rsplit(".", 1)[1]: module
        for module in (
            classification_pb2, get_model_metadata_pb2, inference_pb2, input_pb2, model_pb2, predict_pb2,
            prediction_log_pb2, regression_pb2, session_service_pb2, model_server_config_pb2,
        )
    })
