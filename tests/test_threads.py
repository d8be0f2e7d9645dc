"""The command line runs the numerical libraries on one thread unless told otherwise."""

from __future__ import annotations

import os
import sys

import pytest

from surveycoal import cli
from surveycoal.threads import THREAD_VARIABLES


def test_the_command_line_asks_for_one_blas_thread_but_respects_a_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setattr(sys, "argv", ["surveycoal", "--version"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code in (0, None)
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "1"
    assert os.environ["OMP_NUM_THREADS"] == "2"
