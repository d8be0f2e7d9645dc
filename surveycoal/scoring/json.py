"""A result as plain JSON data, written from its dataclass fields by one function.

:func:`to_plain` turns every result of :mod:`surveycoal.scoring` into data that
``json.dumps(allow_nan=False)`` accepts: numbers made JSON-safe (numpy scalars converted,
NaN and infinity become None), tuples into lists, mappings into dicts, nested results
written the same way. A field's JSON key, and the few places where the JSON is shaped
differently from the dataclass, are declared on the field as
``field(metadata=as_json(...))`` (a :class:`JsonSpec` stored in the field's metadata under
``"json"``), never written out by hand.

Examples
--------
>>> from dataclasses import dataclass, field
>>> @dataclass(frozen=True)
... class Span:
...     from_round: int = field(metadata=as_json(key="from"))
...     mean: float = float("nan")
>>> to_plain(Span(1))
{'from': 1, 'mean': None}
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The metadata key a field's :class:`JsonSpec` is stored under.
METADATA_KEY = "json"


@dataclass(frozen=True)
class JsonSpec:
    """How one field is written (every part optional; by default: under its own name).

    key
        The JSON key, when it is not the field's name. In a result written by ``spread``
        (see below) a key holding ``{}`` is a template filled with the entry's name.
    skip
        Leave the field out (it names the object, and the parent already says so).
    within
        Write the field inside this object of the parent, under ``key``:
        ``instrument_hash`` with ``within="instrument", key="hash"`` gives
        ``{"instrument": {"hash": ...}}``.
    spread, entries
        The field is a mapping of ``entries`` results (or None): write each entry's fields
        as the parent's own keys, for each of the names in ``spread`` (None for every
        field of a missing entry).
    only
        The field is a result, or a mapping of results: write them with these fields alone.
    flat
        The field is an object (or None): write the listed attributes as the parent's own
        keys, ``{json key: attribute}``; a tuple of attributes is written as a list.
    absent
        With ``flat``: the value of a key when the object is None (None otherwise).
    """

    key: str | None = None
    skip: bool = False
    within: str | None = None
    spread: tuple[str, ...] | None = None
    entries: type | None = None
    only: tuple[str, ...] | None = None
    flat: Mapping[str, str | tuple[str, ...]] | None = None
    absent: Mapping[str, Any] = field(default_factory=dict)


def as_json(**spec: Any) -> dict[str, JsonSpec]:
    """A field's metadata giving its JSON shape (the keywords of :class:`JsonSpec`)."""
    return {METADATA_KEY: JsonSpec(**spec)}


_PLAIN = JsonSpec()


Step = Callable[[Any, dict[str, Any]], None]
#: How a value of each type is written, found once per type.
_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def to_plain(value: Any) -> Any:
    """A result (or any part of one) as plain, JSON-safe data.

    Examples
    --------
    >>> import numpy as np
    >>> to_plain({"n": np.int64(3), "ci": (np.float64("nan"), 1.5), "ok": np.bool_(True)})
    {'n': 3, 'ci': [None, 1.5], 'ok': True}
    """
    cls = type(value)
    if cls is float:
        return value if math.isfinite(value) else None
    if cls is str or cls is int or value is None or cls is bool:
        return value
    convert = _CONVERTERS.get(cls)
    if convert is None:
        convert = _CONVERTERS[cls] = _converter(cls)
    return convert(value)


def _converter(cls: type) -> Callable[[Any], Any]:
    if cls is type(None) or cls is str:
        return _same
    if issubclass(cls, str):  # a StrEnum verdict: its code
        return str
    if issubclass(cls, bool | np.bool_):
        return bool
    if issubclass(cls, numbers.Integral):
        return int
    if issubclass(cls, numbers.Real):
        return _finite
    if dataclasses.is_dataclass(cls):
        return _writer(cls)
    if issubclass(cls, Mapping):
        return _mapping
    if issubclass(cls, tuple | list):
        return _sequence
    raise TypeError(f"{cls.__name__} has no JSON form.")


def _same(value: Any) -> Any:
    return value


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): to_plain(v) for k, v in value.items()}


def _sequence(value: Sequence[Any]) -> list[Any]:
    return [to_plain(v) for v in value]


@functools.cache
def _writer(cls: Any, only: tuple[str, ...] | None = None) -> Callable[[Any], dict[str, Any]]:
    """The function writing a result of ``cls`` (with the fields ``only``, if given)."""
    # The writer is compiled from the fields once per class (as dataclasses compiles its
    # __init__): one line per key, the field's declared type choosing the conversion.
    lines = ["def write(v):", "    out = {}"]
    scope: dict[str, Any] = {"_plain": to_plain, "_isfinite": math.isfinite}
    for f in dataclasses.fields(cls):
        spec = f.metadata.get(METADATA_KEY, _PLAIN)
        if spec.skip or (only is not None and f.name not in only):
            continue
        if _is_renaming(spec):
            key = spec.key if spec.key and "{}" not in spec.key else f.name
            lines.append(f"    out[{key!r}] = {_expression(f.name, f.type)}")
        else:
            scope[f"_step_{f.name}"] = _step(f.name, spec)
            lines.append(f"    _step_{f.name}(v, out)")
    for name in getattr(cls, "json_properties", ()):
        lines.append(f"    out[{name!r}] = _plain(v.{name})")
    lines.append("    return out")
    exec("\n".join(lines), scope)  # the source is built above from field names alone
    write: Callable[[Any], dict[str, Any]] = scope["write"]
    return write


def _expression(name: str, declared: Any) -> str:
    """Python source converting field ``name`` of ``v``, from its declared type."""
    if declared in ("float", "float | None", float):
        return f"(None if (x := v.{name}) is None or not _isfinite(x) else float(x))"
    if declared in ("int", "int | None", int):
        return f"(None if (x := v.{name}) is None else int(x))"
    if declared in ("str", "str | None", str, "bool", "bool | None", bool):
        kind = "str" if "str" in str(declared) else "bool"
        return f"(None if (x := v.{name}) is None else {kind}(x))"
    return f"_plain(v.{name})"


def _is_renaming(spec: JsonSpec) -> bool:
    """True when the field is written as it is, perhaps under another key."""
    return spec == JsonSpec(key=spec.key)


def _step(name: str, spec: JsonSpec) -> Step:
    """How one field is written into its parent's dict."""
    key = name if spec.key is None or "{}" in spec.key else spec.key
    if spec.spread is not None:
        return _spread_step(name, spec.spread, spec.entries)
    if spec.flat is not None:
        return _flat_step(name, spec.flat, spec.absent)
    if spec.within is not None:
        within = spec.within

        def nested(value: Any, out: dict[str, Any]) -> None:
            out.setdefault(within, {})[key] = to_plain(getattr(value, name))

        return nested
    if spec.only is not None:
        write = functools.partial(_only, only=spec.only)

        def only(value: Any, out: dict[str, Any]) -> None:
            out[key] = write(getattr(value, name))

        return only

    def plain(value: Any, out: dict[str, Any]) -> None:
        out[key] = to_plain(getattr(value, name))

    return plain


def _spread_step(name: str, names: tuple[str, ...], entries: type | None) -> Step:
    if entries is None:
        raise TypeError(f"A spread field ({name}) needs the type of its entries.")
    templates = []
    for f in dataclasses.fields(entries):
        spec = f.metadata.get(METADATA_KEY, _PLAIN)
        template = spec.key if spec.key and "{}" in spec.key else f"{{}}_{f.name}"
        templates.append((f.name, template))
    keys = [(entry, [(a, t.format(entry)) for a, t in templates]) for entry in names]

    def spread(value: Any, out: dict[str, Any]) -> None:
        found = getattr(value, name)
        for entry, entry_keys in keys:
            item = found.get(entry) if found else None
            for attribute, key in entry_keys:
                out[key] = None if item is None else to_plain(getattr(item, attribute))

    return spread


def _flat_step(
    name: str, flat: Mapping[str, str | tuple[str, ...]], absent: Mapping[str, Any]
) -> Step:
    def spread(value: Any, out: dict[str, Any]) -> None:
        item = getattr(value, name)
        for key, attribute in flat.items():
            if item is None:
                out[key] = to_plain(absent.get(key))
            elif isinstance(attribute, tuple):
                out[key] = [to_plain(getattr(item, a)) for a in attribute]
            else:
                out[key] = to_plain(getattr(item, attribute))

    return spread


def _only(value: Any, only: tuple[str, ...]) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {str(k): _only(v, only) for k, v in value.items()}
    cls: Any = type(value)
    return _writer(cls, only)(value)


__all__ = ["JsonSpec", "as_json", "to_plain"]
