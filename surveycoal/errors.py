"""The one exception tree of surveycoal.

Core modules raise these; only the command line turns them into a message and an
exit code. Every message names what is wrong and, where it can, where.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from surveycoal.i18n import _, ngettext


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
        one, many = _kind_words(kind)
        of = _(" of {where}").format(where=where) if where else ""
        if names:
            shown = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
            hint = _("Known {kinds}{of}: {shown}").format(kinds=many, of=of, shown=shown)
        else:
            hint = _("There are no {kinds}{of} yet.").format(kinds=many, of=of)
        super().__init__(
            _("No {kind}{of} called {name!r}.").format(kind=one, of=of, name=name), hint=hint
        )
        self.kind = kind
        self.name = name
        self.existing = names


def _kind_words(kind: str) -> tuple[str, str]:
    """A kind of thing, in the lead's language: its singular and its plural."""
    known = {
        "coalition": (_("coalition"), _("coalitions")),
        "round": (_("round"), _("rounds")),
        "programme": (_("programme"), _("programmes")),
        "member": (_("member"), _("members")),
        "instrument": (_("instrument"), _("instruments")),
    }
    return known.get(kind, (kind, f"{kind}s"))


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
            more = len(self.problems) - 200
            shown.append(
                "  "
                + ngettext(
                    "... and {count} more problem", "... and {count} more problems", more
                ).format(count=more)
            )
        return "\n".join([self.message, *shown])


class PrivacyError(SurveycoalError):
    """The request would show a group smaller than the round's minimum."""


class InputError(SurveycoalError):
    """A value given on the command line or in a file is not valid."""
