"""surveycoal: measure how well local coalitions work together, round after round.

The package is an importable core with a thin command line on top. Each step of
the flow of data is a plain function:

instrument file -> :func:`surveycoal.instruments.load_instrument`
round snapshot  -> :mod:`surveycoal.store`
responses       -> :mod:`surveycoal.answering`
scores          -> :mod:`surveycoal.scoring` (statistics in :mod:`surveycoal.stats`)
reports         -> :mod:`surveycoal.reports`
"""

__version__ = "0.1.0"
