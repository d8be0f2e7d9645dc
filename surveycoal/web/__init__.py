"""The questionnaire on a phone: a small web server for meetings and for personal codes.

:mod:`surveycoal.web.app` turns the same :class:`~surveycoal.answering.Session`
and the same texts as the terminal into server-rendered HTML forms (no
JavaScript needed). Only ``surveycoal serve`` imports this package, so the web
stack never loads for other commands.
"""
