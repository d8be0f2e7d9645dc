"""Tests of the surveycoal.stats package as a whole: its docstring examples run, bad input
raises InputError, and every family's module is reachable from the package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import surveycoal.stats as S
from surveycoal.errors import InputError


def test_doctests_in_stats_run() -> None:
    attempted = 0
    for info in pkgutil.iter_modules(S.__path__, prefix="surveycoal.stats."):
        result = doctest.testmod(importlib.import_module(info.name), optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, info.name
        attempted += result.attempted
    assert attempted > 40


def test_bad_input_raises_input_error() -> None:
    with pytest.raises(InputError):
        S.cronbach_alpha([[1, 2, 3]], nan_policy="everything")
    with pytest.raises(InputError):
        S.mean_ci([1, 2, 3], ci=1.5)
    with pytest.raises(InputError):
        S.funnel([1, 2], [3], sigma=1)
    with pytest.raises(InputError):
        S.paired_test([1, 2, 3], [1, 2])


def test_every_public_name_of_a_family_is_a_name_of_the_package() -> None:
    """``stats.NAME`` reaches every public function, class and constant of every module."""
    for info in pkgutil.iter_modules(S.__path__, prefix="surveycoal.stats."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", info.name) != info.name:
                continue
            if isinstance(value, type(S)) or name == "annotations":
                continue
            assert name in S.__all__ and getattr(S, name) is value, f"{info.name}.{name}"
