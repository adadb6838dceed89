"""Faster construction of frozen slots dataclasses on hot paths.

A frozen dataclass's __init__ sets each field through object.__setattr__, a
look-up by name per field. The builders here set the slots through their own
descriptors: the instance is the same (frozen, equal and hashed by its fields)
at about half the cost. Every field must be given: defaults are not applied.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable
from itertools import repeat
from operator import call
from typing import Any, TypeVar

Frozen = TypeVar("Frozen")


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    if "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slots dataclass")
    return tuple(cls.__dict__[field.name].__set__ for field in dataclasses.fields(cls))


def positional_builder(cls: type[Frozen]) -> Callable[..., Frozen]:
    """A function that makes cls(*values), every field given, in field order."""
    setters, new = _slot_setters(cls), object.__new__

    def build(*values: Any) -> Frozen:
        if len(values) != len(setters):
            raise TypeError(f"{cls.__name__} takes {len(setters)} values, not {len(values)}")
        instance = new(cls)
        deque(map(call, setters, repeat(instance), values), 0)  # the loop in C: no Python step per field
        return instance

    return build


def keyword_builder(cls: type[Frozen]) -> Callable[..., Frozen]:
    """A function that makes cls(**fields), every field given."""
    names = tuple(field.name for field in dataclasses.fields(cls))
    named_setters, new = tuple(zip(names, _slot_setters(cls), strict=True)), object.__new__

    def build(**fields: Any) -> Frozen:
        if len(fields) != len(names):
            raise TypeError(f"{cls.__name__} takes every field: {sorted(set(names) ^ set(fields))}")
        instance = new(cls)
        for name, set_field in named_setters:  # with the loop in C (as above) it was no faster: the look-ups dominate
            set_field(instance, fields[name])
        return instance

    return build


def field_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """A function that sets field `name` of an instance of cls, frozen or not.

    Only for a pass over instances its caller has just built and nobody else holds yet (their
    hash and equality must not have been relied on): it saves building each one again to change
    one field, which cost identify() (identity.py) as much as all its reading.
    """
    if "__slots__" not in cls.__dict__ or name not in cls.__dict__["__slots__"]:
        raise TypeError(f"{cls.__name__} has no slot {name!r}")
    return cls.__dict__[name].__set__
