"""Date arithmetic the ORM lacks, in the built-in SQL of SQLite and PostgreSQL.

Django's own TruncWeek and date subtraction run through Python functions on
SQLite, once per row; these stay inside the database engine.
"""

from __future__ import annotations

from django.db import NotSupportedError
from django.db.models import DateField, Func, IntegerField


class WeekStart(Func):
    """The first day of a date's week, for weeks starting on `week_start` (0 Monday … 6 Sunday)."""

    output_field = DateField()

    def __init__(self, expression, week_start: int):
        super().__init__(expression)
        self.week_start = week_start

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"WeekStart is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        # 'weekday N' moves forward to weekday N (Sunday is 0), so step back six days first.
        date, params = compiler.compile(self.source_expressions[0])
        return f"date({date}, '-6 days', %s)", [*params, f"weekday {(self.week_start + 1) % 7}"]

    def as_postgresql(self, compiler, connection, **extra):
        # ISODOW is 1 for Monday; subtract the days since the week began.
        date, params = compiler.compile(self.source_expressions[0])
        return (
            f"({date} - MOD(EXTRACT(ISODOW FROM {date})::int + 6 - %s, 7))",
            [*params, *params, self.week_start],
        )


class DaysBetween(Func):
    """Whole days from `earlier` to `later`."""

    output_field = IntegerField()

    def __init__(self, later, earlier):
        super().__init__(later, earlier)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"DaysBetween is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        return self._compile(compiler, "CAST(julianday({}) - julianday({}) AS INTEGER)")

    def as_postgresql(self, compiler, connection, **extra):
        return self._compile(compiler, "({} - {})")

    def _compile(self, compiler, template: str):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return template.format(later, earlier), [*later_params, *earlier_params]


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
