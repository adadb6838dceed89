"""The examples in the export modules' docstrings (dashboard/ is not among pytest's doctest paths)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["dashboard.exports.record_files", "dashboard.exports.file_names", "dashboard.exports.briefing_text", "dashboard.exports.embed", "dashboard.exports.formats", "dashboard.export"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
