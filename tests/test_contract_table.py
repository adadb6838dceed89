"""The contract table (extractors/contract.py) is the one list of record fields: the record,
the store's records table and the exports agree with it."""

from __future__ import annotations

import dataclasses
import types
import typing

import pytest

from extractors import FIELDS, IndicatorRecord
from extractors.contract import ALL_FIELDS, RECORD_FIELDS, STORE_FIELDS, columns_of_type

TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "date"}
PYTHON_TYPES = {"string": str, "date": str, "number": float, "integer": int, "boolean": bool}


def _store_schema() -> types.ModuleType:
    try:
        from store import schema  # the store as its own package (issue 15)
    except ImportError:
        from extractors.store import schema
    return schema


def test_the_record_has_the_contract_fields_in_contract_order() -> None:
    assert tuple(field.name for field in dataclasses.fields(IndicatorRecord)) == tuple(RECORD_FIELDS) == FIELDS


@pytest.mark.parametrize("name", list(RECORD_FIELDS))
def test_each_record_field_holds_the_python_type_its_contract_type_names(name: str) -> None:
    hints = typing.get_type_hints(IndicatorRecord)
    allowed = {PYTHON_TYPES[RECORD_FIELDS[name].type], type(None)}
    written = set(typing.get_args(hints[name])) or {hints[name]}
    assert written <= allowed, f"{name}: {hints[name]} for contract type {RECORD_FIELDS[name].type}"


@pytest.mark.parametrize("name", list(ALL_FIELDS))
def test_each_column_has_a_table_schema_type_an_hxl_tag_and_a_description(name: str) -> None:
    field = ALL_FIELDS[name]
    assert field.type in TABLE_SCHEMA_TYPES
    assert field.hxl.startswith("#") and " " not in field.hxl
    assert field.description.endswith(".") and len(field.description) > 10


def test_hxl_tags_are_unique() -> None:
    tags = [field.hxl for field in ALL_FIELDS.values()]
    assert len(tags) == len(set(tags))


def test_the_store_keeps_every_contract_column() -> None:
    columns = {column.name for column in _store_schema().records.columns}
    assert set(RECORD_FIELDS) | set(STORE_FIELDS) <= columns


def test_exports_read_the_contract_table() -> None:
    from dashboard.exports import record_files
    from dashboard.model.data import CONTRACT_COLUMNS

    assert record_files.FIELD_INFO == ALL_FIELDS
    assert (*RECORD_FIELDS, *STORE_FIELDS) == CONTRACT_COLUMNS
    assert record_files.INTEGER_COLUMNS == columns_of_type("integer") == {"char_start", "char_end", "quote_start", "page"}


def test_the_indicator_description_lists_the_indicators_of_the_data_file() -> None:
    from extractors import INDICATORS

    assert all(name in RECORD_FIELDS["indicator"].description for name in INDICATORS)
