"""Date arithmetic the ORM lacks, in the built-in SQL of SQLite and PostgreSQL.

Django's own date truncation runs through a Python function on SQLite, once per
row; this stays inside the database engine.
"""

from __future__ import annotations

from django.db import NotSupportedError
from django.db.models import Func, IntegerField


class PeriodOf(Func):
    """The number of a date's period of `months` months (1 a month, 3 a quarter),
    counted from year 0: (year × 12 + month − 1) ÷ months, in whole numbers."""

    output_field = IntegerField()

    def __init__(self, expression, months: int):
        super().__init__(expression)
        self.months = months

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"PeriodOf is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        date, params = compiler.compile(self.source_expressions[0])
        year, month = (f"CAST(strftime('{part}', {date}) AS INTEGER)" for part in ("%%Y", "%%m"))
        number = f"{year} * 12 + {month} - 1"
        return f"(({number}) / %s)", [*params, *params, self.months]

    def as_postgresql(self, compiler, connection, **extra):
        date, params = compiler.compile(self.source_expressions[0])
        number = f"EXTRACT(YEAR FROM {date})::int * 12 + EXTRACT(MONTH FROM {date})::int - 1"
        return f"(({number}) / %s)", [*params, *params, self.months]
