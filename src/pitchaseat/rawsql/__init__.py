"""One-statement reads on the database driver's own connection.

The listing page and the month calendar are one SELECT each and the site's busiest reads.
SQLAlchemy builds each statement; here it is compiled once per dialect, its parameters put in
the driver's order and its rows decoded with SQLAlchemy's own type processors, and the
statement runs on the driver directly: no execution context, no result objects, no pool
events, no transaction to begin or end.
"""

from pitchaseat.rawsql._compiled import CompiledRead, compile_read
from pitchaseat.rawsql._pools import open_reader
from pitchaseat.rawsql._reader import RawReader, borrowed_reader, session_reader

__all__ = [
    "CompiledRead",
    "RawReader",
    "borrowed_reader",
    "compile_read",
    "open_reader",
    "session_reader",
]
