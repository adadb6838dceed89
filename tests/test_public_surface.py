"""The extractors package's public surface: each `__all__` lists exactly what the module binds
for its users, `import *` works, every error is an ExtractionError and a built-in error, and
every warning an ExtractionWarning (a UserWarning)."""

from __future__ import annotations

import builtins
import importlib
import inspect
import pkgutil
import types

import pytest

import extractors
from extractors.errors import ExtractionError, ExtractionWarning

# The package's modules, without the command line's entry point (importing it runs it) and the
# store (a package of its own).
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(extractors.__path__, "extractors.")
    if not info.name.startswith("extractors.store") and not info.name.endswith("__main__")
)
MODULES_WITH_ALL = [name for name in MODULES if hasattr(importlib.import_module(name), "__all__")]


def _public_bindings(module: types.ModuleType) -> set[str]:
    """Names the module binds to the package's own classes, functions and constants, without an
    underscore: what a user would take for its surface. Imported modules and names from other
    libraries (Path, Any) are not part of it."""
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType) or name == "annotations":
            continue
        home = getattr(value, "__module__", None)
        if home is None or home.startswith("extractors"):  # constants have no __module__
            names.add(name)
    return names


@pytest.mark.parametrize("name", ["extractors", *MODULES_WITH_ALL])
def test_every_name_in_all_is_bound(name: str) -> None:
    module = importlib.import_module(name)
    missing = [item for item in module.__all__ if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ names {missing}, which it does not bind"
    assert len(module.__all__) == len(set(module.__all__)), f"{name}.__all__ lists a name twice"


def test_every_public_binding_of_the_package_is_in_all() -> None:
    unlisted = sorted(_public_bindings(extractors) - set(extractors.__all__))
    assert not unlisted, f"extractors binds {unlisted} without listing them in __all__ (list them, or make them private)"


@pytest.mark.parametrize("name", MODULES_WITH_ALL)
def test_every_public_function_and_class_a_module_defines_is_in_its_all(name: str) -> None:
    """A module's own functions and classes are its surface; what it imports for its own use
    (loaders imports fetch and is_url) is listed only when the module means to offer it."""
    module = importlib.import_module(name)
    defined = {
        item
        for item, value in vars(module).items()
        if not item.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == name
    }
    assert not defined - set(module.__all__), f"{name} defines {sorted(defined - set(module.__all__))} outside __all__"


@pytest.mark.parametrize("name", ["extractors", *MODULES_WITH_ALL])
def test_import_star_works(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {name} import *", namespace)  # the statement under test
    assert set(importlib.import_module(name).__all__) <= set(namespace)


def _error_classes() -> list[type[BaseException]]:
    found = {}
    for name in MODULES:
        for value in vars(importlib.import_module(name)).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__.startswith("extractors")
                and not value.__name__.startswith("_")
            ):
                found[value.__qualname__] = value
    return [found[name] for name in sorted(found)]


ERRORS = _error_classes()


WARNINGS = [error for error in ERRORS if issubclass(error, Warning)]
ERRORS = [error for error in ERRORS if not issubclass(error, Warning)]


def test_the_package_has_one_base_error_and_one_base_warning() -> None:
    assert ExtractionError in ERRORS and len(ERRORS) > 5
    assert [error for error in ERRORS if not issubclass(error, ExtractionError)] == []
    assert ExtractionWarning in WARNINGS and len(WARNINGS) > 2
    assert [warning for warning in WARNINGS if not issubclass(warning, ExtractionWarning)] == []
    assert issubclass(ExtractionWarning, UserWarning) and not issubclass(ExtractionWarning, ExtractionError)


@pytest.mark.parametrize("error", [error for error in ERRORS if error is not ExtractionError], ids=lambda error: error.__name__)
def test_each_error_is_an_extraction_error_and_a_builtin_error(error: type[BaseException]) -> None:
    builtin_bases = {
        base for base in error.__mro__ if vars(builtins).get(base.__name__) is base and base not in (Exception, BaseException, object)
    }
    assert issubclass(error, ExtractionError) and builtin_bases, f"{error.__name__} also needs a built-in base: {error.__mro__}"
