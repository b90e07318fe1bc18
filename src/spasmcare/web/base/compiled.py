"""Queries the ORM compiles once per process, then run again with other values (issue 21).

Building a queryset and compiling it to SQL costs 0.15–0.6 ms of CPU per query on the 2-core
reference machine, several times what the database then takes to answer it. A few reads are
made by nearly every request (the session, the patient its URL names): :class:`Compiled`
has the ORM compile each of them once, with marker values where the request's values go,
and afterwards runs that same SQL with the request's values in the markers' places. The SQL
is the ORM's own, so the read means exactly what its queryset means (``tests/web/
test_compiled.py`` compares them).

Only plain model queries are accepted (no ``select_related``, ``values`` or annotations), and
each marker must reach the SQL's parameters unchanged (an id, a string key) or as the
database adapts it (a date, which SQLite is sent as text): :class:`Compiled` checks it when
it compiles, and adapts the request's value the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Plan(Generic[M]):
    model: type[M]
    sql: str
    params: tuple[Any, ...]
    #: the marker each parameter stands for (its index), None for the query's own constants
    slots: tuple[int | None, ...]
    #: the name of the database operation adapting each marker's values (a date on SQLite is
    #: sent as text), looked up on the connection of the thread that runs the query
    adapters: tuple[str | None, ...]
    #: the model's fields, in the order the SQL selects them
    names: list[str]
    #: column -> the database's and the field's converters of its value (as the ORM applies
    #: them; they read only settings, such as the database's time zone, from the connection
    #: they were taken from)
    converters: list[tuple[int, tuple[list[Callable[..., Any]], Any]]]


class Compiled(Generic[M]):
    """The query ``build(*markers)`` makes, compiled on first use per database alias.

    ``markers`` are values no real request uses (negative ids, a key no session has, days
    before any diary); each call of :meth:`rows` passes one value per marker, in the same
    order.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], markers: tuple[Hashable, ...]) -> None:
        self._build = build
        self._markers = markers
        self._lock = threading.Lock()
        self._plans: dict[str, _Plan[M]] = {}

    def _compile(self, alias: str) -> _Plan[M]:
        query = self._build(*self._markers)
        compiler = query.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        info = compiler.klass_info
        if info is None or info.get("related_klass_infos") or compiler.annotation_col_map:
            raise ValueError("Compiled reads plain model queries only")
        fields = info["select_fields"]
        selected = [col for col, _, _ in compiler.select[: compiler.col_count]]
        if fields != list(range(len(selected))):
            raise ValueError("Compiled reads plain model queries only")
        forms = [self._forms(marker, connections[alias].ops) for marker in self._markers]
        found = [self._slot(p, forms) for p in params]
        slots = tuple(i for i, _ in found)
        if sorted(s for s in slots if s is not None) != list(range(len(self._markers))):
            raise ValueError(f"each marker must reach the SQL once: {params!r}")
        return _Plan(
            model=query.model,
            sql=sql,
            params=tuple(params),
            slots=slots,
            adapters=tuple(a for _, a in found),
            names=[col.target.attname for col in selected],
            converters=list(compiler.get_converters(selected).items()),
        )

    @staticmethod
    def _forms(marker: Any, ops: Any) -> list[tuple[Any, str | None]]:
        """The forms a marker may take in the SQL's parameters: itself, and for a date or a
        time stamp the database's adapted form (with the name of the operation that makes
        it)."""
        out: list[tuple[Any, str | None]] = [(marker, None)]
        name = (
            "adapt_datetimefield_value"
            if isinstance(marker, datetime)
            else "adapt_datefield_value"
            if isinstance(marker, date)
            else None
        )
        if name is not None:
            out.append((getattr(ops, name)(marker), name))
        return out

    @staticmethod
    def _slot(
        param: Any, forms: list[list[tuple[Any, str | None]]]
    ) -> tuple[int | None, str | None]:
        for i, marker_forms in enumerate(forms):
            for form, adapter in marker_forms:
                if type(param) is type(form) and param == form:
                    return i, adapter
        return None, None

    def rows(self, *values: Any, using: str = "default") -> list[M]:
        """The model instances the query finds with ``values`` in the markers' places."""
        plan = self._plans.get(using)
        if plan is None:
            with self._lock:
                plan = self._plans[using] = self._compile(using)
        connection = connections[using]
        bound = [
            p if s is None else values[s] if a is None else getattr(connection.ops, a)(values[s])
            for p, s, a in zip(plan.params, plan.slots, plan.adapters, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, bound)
            found = cursor.fetchall()
        out = []
        for row in found:
            read = list(row)
            for pos, (convs, expression) in plan.converters:
                value = read[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                read[pos] = value
            out.append(plan.model.from_db(using, plan.names, read))
        return out

    def first(self, *values: Any, using: str = "default") -> M | None:
        """The first instance :meth:`rows` finds, or None (the query's own order)."""
        found = self.rows(*values, using=using)
        return found[0] if found else None
