"""The store package's surface: __all__ names exactly what is bound, and its errors share one base
(StoreError) while each also is the built-in a caller would catch."""

from __future__ import annotations

import importlib

import pytest

import store

MODULES = ["store", "store.cli"]


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_what_is_bound(name: str) -> None:
    module = importlib.import_module(name)
    assert sorted(set(module.__all__)) == sorted(module.__all__), "a name listed twice"
    assert [entry for entry in module.__all__ if not hasattr(module, entry)] == []
    namespace: dict[str, object] = {}
    exec(f"from {name} import *", namespace)
    assert set(module.__all__) <= set(namespace)


ERRORS = [name for name in store.__all__ if isinstance(getattr(store, name), type) and issubclass(getattr(store, name), Exception)]


def test_the_errors_are_found() -> None:
    assert {"StoreError", "ReviewRefused", "IntakeRefused", "UnknownRecord"} <= set(ERRORS)


@pytest.mark.parametrize("name", ERRORS)
def test_every_error_is_a_store_error_and_a_builtin(name: str) -> None:
    error = getattr(store, name)
    assert issubclass(error, store.StoreError)
    builtins = [base for base in error.__mro__ if base.__module__ == "builtins" and base not in (Exception, BaseException, object)]
    assert builtins, f"{name} inherits no built-in error a caller could catch"
