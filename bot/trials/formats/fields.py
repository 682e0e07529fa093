"""Table-driven reading: each format is a table of record field -> where it is and how to read it.

A table maps a field name to a *spec*: any callable taking the :class:`Reader` of the element
(or of a list item) and returning the value. :class:`At` is the usual spec (a dotted path and a
converter); :class:`Each` and :class:`Names` read lists. Oddities of one format stay small named
functions in its module, used as specs or converters.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.trials.formats import values as v

Spec = Callable[[v.Reader], Any]
Convert = Callable[[v.Reader, str], Any]  # reads ``key`` of the object a reader holds
Table = Mapping[str, Spec]


def _parent(root: v.Reader, path: str) -> tuple[v.Reader, str]:
    *parents, key = path.split(".")
    reader = root
    for name in parents:
        reader = reader.obj(name)
    return reader, key


@dataclass(frozen=True)
class At:
    """The value at ``path`` (dotted, from the reader given), read by ``convert``."""

    path: str
    convert: Convert

    def __call__(self, root: v.Reader) -> Any:
        reader, key = _parent(root, self.path)
        return self.convert(reader, key)


@dataclass(frozen=True)
class Each:
    """One item per object of the list at ``path``, each made by ``make`` (a spec)."""

    path: str
    make: Spec

    def __call__(self, root: v.Reader) -> tuple[Any, ...]:
        reader, key = _parent(root, self.path)
        return tuple(self.make(item) for item in reader.objs(key))


@dataclass(frozen=True)
class Names:
    """The ``key`` text of each object of the list at ``path`` that has one (sponsors, MeSH terms)."""

    path: str
    key: str
    clean: bool = False

    def __call__(self, root: v.Reader) -> tuple[str, ...]:
        reader, key = _parent(root, self.path)
        return tuple(o.text(self.key, clean=self.clean) or "" for o in reader.objs(key) if o.has(self.key))


def const(value: Any) -> Spec:
    """A value the format does not carry (classic formats have no coordinates)."""
    return lambda _root: value


def chain(*specs: Spec) -> Spec:
    """Items of several lists, in order (central contacts, then officials)."""
    return lambda root: tuple(item for spec in specs for item in spec(root))


def read(root: v.Reader, table: Table) -> dict[str, Any]:
    """Every field of ``table``, in table order (so the first faulty field is the one reported)."""
    return {name: spec(root) for name, spec in table.items()}


def record(cls: type, table: Table) -> Spec:
    """A spec making one ``cls`` (a site, a contact...) from its own table."""
    return lambda root: cls(**read(root, table))


# ---------------------------------------------------------------- converters
def text(r: v.Reader, key: str) -> str | None:
    return r.text(key)


def clean(r: v.Reader, key: str) -> str | None:
    return r.text(key, clean=True)


def required(r: v.Reader, key: str) -> str:
    return r.text(key, required=True, clean=True) or ""


def upper(r: v.Reader, key: str) -> str | None:
    value = r.text(key)
    return value.upper() if value else None


def enum(r: v.Reader, key: str) -> str | None:
    """Classic free text to an enum-like value: "Principal Investigator" -> PRINCIPAL_INVESTIGATOR."""
    value = r.text(key)
    return value.upper().replace(" ", "_") if value else None


def texts(r: v.Reader, key: str) -> tuple[str, ...]:
    return r.texts(key)


def integer(r: v.Reader, key: str) -> int | None:
    return r.integer(key)


def number(r: v.Reader, key: str) -> float | None:
    return r.number(key)


def flag(r: v.Reader, key: str) -> bool | None:
    return r.flag(key)


def date(r: v.Reader, key: str) -> str | None:
    return v.date(r.text(key), r.where(key))


def status(r: v.Reader, key: str) -> str:
    return v.status(r.text(key), r.where(key))


def sex(r: v.Reader, key: str) -> str | None:
    return v.sex(r.text(key), r.where(key))


def age(r: v.Reader, key: str) -> float | None:
    return v.age_years(r.text(key), r.where(key))


def phases(r: v.Reader, key: str) -> tuple[str, ...]:
    return v.phases(r.texts(key), r.where(key))


def nct(r: v.Reader, key: str) -> str:
    return v.nct_id(r.text(key), r.where(key))


def title(root: v.Reader, brief: str, official: str) -> str:
    """The brief title, else the official one; missing both is reported on the brief title."""
    found = At(brief, clean)(root) or At(official, clean)(root)
    if not found:
        reader, key = _parent(root, brief)
        raise v.FieldError(reader.where(key), f"missing (and no {official.rsplit('.', 1)[-1]})")
    return found
