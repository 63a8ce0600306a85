"""A read statement compiled once for one dialect: the driver's SQL text, how to put a
request's parameters in the driver's order, and how to decode the driver's rows, both with
SQLAlchemy's own type processors (so values equal what ``AsyncConnection.execute`` gives)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import CompoundSelect, Select

Processor = Callable[[Any], Any]
# A SELECT, or SELECTs joined by UNION.
Statement = Select[Any] | CompoundSelect[Any]


@dataclass(frozen=True, slots=True)
class _Argument:
    name: str | None  # the request's parameter, or None for a value fixed in the statement
    value: Any
    process: Processor | None


@dataclass(frozen=True, slots=True)
class CompiledRead:
    sql: str
    _arguments: tuple[_Argument, ...]
    # (column index, processor) for the columns whose driver value needs converting.
    _decoders: tuple[tuple[int, Processor], ...]

    def arguments(self, parameters: Mapping[str, Any]) -> tuple[Any, ...]:
        values = []
        for argument in self._arguments:
            if argument.name is None:
                values.append(argument.value)
            elif argument.process is None:
                values.append(parameters[argument.name])
            else:
                values.append(argument.process(parameters[argument.name]))
        return tuple(values)

    def decode(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        if not self._decoders:
            return [tuple(row) for row in rows]
        decoded = []
        for row in rows:
            values = list(row)
            for index, process in self._decoders:
                values[index] = process(values[index])
            decoded.append(tuple(values))
        return decoded


def compile_read(statement: Statement, dialect: Dialect) -> CompiledRead:
    compiled = statement.compile(dialect=dialect)
    if compiled.positiontup is None or compiled.escaped_bind_names:
        raise ValueError(f"{dialect.name}: only positional, plainly named parameters")
    if compiled.post_compile_params - compiled.literal_execute_params:
        raise ValueError("expanding parameters are not supported: bind each value apart")
    sql = compiled.string
    # Values SQLAlchemy renders into the text at execution (MySQL's GROUP_CONCAT separator).
    inline = set()
    for bind in compiled.literal_execute_params:
        name = compiled.bind_names[bind]
        literal = compiled.render_literal_value(bind.value, bind.type)
        sql = sql.replace(f"__[POSTCOMPILE_{name}]", literal)
        inline.add(name)
    arguments = []
    for name in compiled.positiontup:
        if name in inline:
            continue
        bind = compiled.binds[name]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.required:
            arguments.append(_Argument(bind.key, None, process))
        else:
            value = bind.effective_value
            arguments.append(_Argument(None, process(value) if process else value, None))
    return CompiledRead(sql, tuple(arguments), _decoders(statement, dialect))


def _decoders(statement: Statement, dialect: Dialect) -> tuple[tuple[int, Processor], ...]:
    decoders = []
    for index, column in enumerate(statement.selected_columns):
        try:
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        except (TypeError, exc.InvalidRequestError):
            # A numeric type whose processor depends on the wire type (asyncpg): without
            # asdecimal, the driver's own int or float is what SQLAlchemy returns as well.
            process = None
        if process is not None:
            decoders.append((index, process))
    return tuple(decoders)
