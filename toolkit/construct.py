"""Building pydantic values from data that is already valid, fast: for audits of 100,000 keys."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def trusted(cls: type[M], values: dict[str, Any], *, in_order: bool = False) -> M:
    """An instance of ``cls`` holding ``values`` (every field given, each already valid).

    The values are kept in the fields' declaration order, as validation would keep them (the
    JSON writer follows that order); ``in_order`` says the caller already gave them so.

    For values read back from the store or built from validated parts only: nothing is
    checked. It sets what ``model_construct`` sets (``__dict__``, the fields set, no extra and
    no private values) without its per-field alias and default handling, which made reading
    100,000 keys back take seconds. tests/test_construct.py holds it equal to
    ``model_construct``.

    Every instance of a class given all its fields shares one fields-set (``_EVERY``): a set
    per instance cost more time and memory than the rest (1 KB each, 100 MB per 100,000
    records). Pydantic only adds field names to it, which it already holds, and copies it
    before a ``model_copy`` changes it.
    """
    ordered = values if in_order else {name: values[name] for name in cls.__pydantic_fields__}
    instance = _new(cls)  # what BaseModel.__new__ is (SQLModel's only presets the slots below)
    _set(instance, "__dict__", ordered)
    every = _EVERY.get(cls)
    if every is None:
        every = _EVERY[cls] = set(cls.__pydantic_fields__)
    _fields_set(instance, every if len(ordered) == len(every) else set(ordered))
    _extra(instance, None)
    _private(instance, None)
    return instance


_EVERY: dict[type[BaseModel], set[str]] = {}
"""Class -> the names of all its fields: the fields-set its trusted instances share."""
_new = object.__new__
_set = object.__setattr__
_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_private = BaseModel.__dict__["__pydantic_private__"].__set__
"""BaseModel's slots, set through their descriptors: faster than ``object.__setattr__``."""
