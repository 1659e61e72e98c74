"""The rule catalogue: one module per rule, listed here once (a test checks the list against
the package's modules). A module holds the rule's documentation (its docstring), its `check`
and its `RULE` record. The Classify/Regress/Predict contract rules have no `check` of their own:
`contract_rule` evaluates the checks of the bundled rules/tf-serving.json pack that name them."""

from __future__ import annotations

from siglint.checks import (
    classify_input_count,
    classify_input_not_examples,
    classify_missing_classes_and_scores,
    classify_missing_inputs_key,
    classify_num_classes_mismatch,
    classify_output_count,
    classify_output_dtype,
    classify_output_rank,
    classify_unexpected_output,
    contract_signature_missing,
    contract_violation,
    duplicate_model_version,
    fixed_batch_size,
    ignored_base_path_entry,
    method_name_mismatch,
    missing_default_signature,
    missing_serving_tag_set,
    no_servable_versions,
    non_name_tensor_encoding,
    predict_no_inputs,
    predict_no_outputs,
    predict_required_inputs,
    regress_missing_key,
    regress_output_shape,
    regress_tensor_count,
    regress_tensor_type,
    reserved_signature_key,
    rest_row_format_batch,
    rest_unsupported_dtype,
    savedmodel_file_missing,
    savedmodel_unparsable,
    tensor_fed_and_fetched,
    tensor_fed_twice,
    unknown_method_name,
    unusual_dtype,
)
from siglint.engine import Rule

RULE_MODULES = (
    savedmodel_file_missing,
    savedmodel_unparsable,
    no_servable_versions,
    ignored_base_path_entry,
    duplicate_model_version,
    missing_serving_tag_set,
    missing_default_signature,
    reserved_signature_key,
    unknown_method_name,
    method_name_mismatch,
    classify_input_count,
    classify_missing_inputs_key,
    classify_output_count,
    classify_missing_classes_and_scores,
    classify_unexpected_output,
    classify_input_not_examples,
    classify_output_dtype,
    classify_output_rank,
    classify_num_classes_mismatch,
    fixed_batch_size,
    regress_tensor_count,
    regress_missing_key,
    regress_tensor_type,
    regress_output_shape,
    predict_no_outputs,
    predict_no_inputs,
    non_name_tensor_encoding,
    tensor_fed_and_fetched,
    tensor_fed_twice,
    rest_unsupported_dtype,
    rest_row_format_batch,
    predict_required_inputs,
    unusual_dtype,
    contract_violation,
    contract_signature_missing,
)

ALL_RULES: tuple[Rule, ...] = tuple(sorted((m.RULE for m in RULE_MODULES), key=lambda r: r.code))
RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
# The rules that check contract packs (`--contracts`): with no pack on, they find nothing.
PACK_RULE_CODES = frozenset({contract_violation.RULE.code, contract_signature_missing.RULE.code})
RULES_BY_NAME = {rule.name: rule for rule in ALL_RULES}


def find_rule(code_or_name: str) -> Rule | None:
    return RULES_BY_CODE.get(code_or_name.upper()) or RULES_BY_NAME.get(code_or_name.lower())


def matches_a_rule(selector: str) -> bool:
    """True for `ALL` and for any prefix of a rule code (case-insensitive), as `--select` takes."""
    selector = selector.upper()
    return selector == "ALL" or any(rule.code.startswith(selector) for rule in ALL_RULES)
