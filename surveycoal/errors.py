"""The one exception tree of surveycoal.

Core modules raise these; only the command line turns them into a message and an
exit code. Every message names what is wrong and, where it can, where.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class SurveycoalError(Exception):
    """Base class: a problem a user can understand and fix."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class InstrumentError(SurveycoalError):
    """An instrument file is malformed. ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = [self.message, *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


class NotFoundError(SurveycoalError):
    """A named thing (coalition, round, instrument ...) does not exist."""

    def __init__(
        self, kind: str, name: str, existing: Iterable[str] = (), *, where: str | None = None
    ) -> None:
        names = sorted(existing)
        of = f" of {where}" if where else ""
        if names:
            shown = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
            hint = f"Known {kind}s{of}: {shown}"
        else:
            hint = f"There are no {kind}s{of} yet."
        super().__init__(f"No {kind}{of} called {name!r}.", hint=hint)
        self.kind = kind
        self.name = name
        self.existing = names


class AlreadyExistsError(SurveycoalError):
    """Something with this name exists already."""


class StoreError(SurveycoalError):
    """The database cannot be opened, read or written."""


class SchemaVersionError(StoreError):
    """The database schema is older or newer than this version of surveycoal."""


class RoundStateError(SurveycoalError):
    """The round is not in a state that allows this (answering a closed round ...)."""


class CodeError(SurveycoalError):
    """An invitation code is mistyped, unknown, used or expired."""


class DataImportError(SurveycoalError):
    """An answers file cannot be imported. ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        shown = [f"  {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            shown.append(f"  ... and {len(self.problems) - 200} more problems")
        return "\n".join([self.message, *shown])


class PrivacyError(SurveycoalError):
    """The request would show a group smaller than the round's minimum."""


class InputError(SurveycoalError):
    """A value given on the command line or in a file is not valid."""
