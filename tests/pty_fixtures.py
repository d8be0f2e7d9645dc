"""Helpers for the tests that run surveycoal in a real pseudo-terminal (pexpect).

PROMPT_TOOLKIT_NO_CPR=1 stops prompt_toolkit asking the terminal where the cursor
is. Keys are ignored for a moment after each screen appears
(``SURVEYCOAL_KEY_GUARD_SECONDS``); tests that are not about that moment make it
short and wait it out before pressing keys.

Import explicitly::

    from pty_fixtures import GUARD, spawn, make_codes
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

#: Seconds keys are ignored after a screen appears, in the tests that are not about it.
GUARD = 0.2
#: Seconds a pexpect test waits for a screen.
TIMEOUT = 20


def spawn(
    db: Path, *args: str, guard: float | None = GUARD, columns: int = 100, rows: int = 40
) -> Any:
    """``python -m surveycoal ARGS`` in a pseudo-terminal of ``columns`` x ``rows``.

    ``guard=None`` keeps the real guard time of a participant's screen.
    """
    import pexpect

    env = dict(
        os.environ,
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm-256color",
        COLUMNS=str(columns),
        LINES=str(rows),
        SURVEYCOAL_DB=str(db),
    )
    env.pop("SURVEYCOAL_KEY_GUARD_SECONDS", None)
    if guard is not None:
        env["SURVEYCOAL_KEY_GUARD_SECONDS"] = str(guard)
    return pexpect.spawn(
        sys.executable,
        ["-m", "surveycoal", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(rows, columns),
    )


def make_codes(db: Path, ref: str, count: int) -> list[str]:
    """``count`` new invitation codes for the round ``ref`` in the database file ``db``."""
    from surveycoal.store import open_store
    from surveycoal.store.answering import create_invitations

    store = open_store(db)
    try:
        return create_invitations(store, ref, count)
    finally:
        store.close()
