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
    """
    ordered = values if in_order else {name: values[name] for name in cls.__pydantic_fields__}
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", ordered)
    object.__setattr__(instance, "__pydantic_fields_set__", set(ordered))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance
