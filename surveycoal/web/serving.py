"""What the web server says where it runs: only what the lead can act on, in the lead's language.

``surveycoal serve`` checks the address before it shows the QR code, so a port in use is
refused at once, and it routes the web server's own log lines through :class:`ServerLog`:
a device's malformed request is nothing the lead can act on and is not shown; a failure is
one line in the lead's language, without a traceback, an address or a path. Only the
standard library is imported here, so the command starts fast.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable

from surveycoal.errors import InputError
from surveycoal.i18n import _

#: The loggers whose lines reach the lead: the web server's and the questionnaire's.
LOGGERS = ("uvicorn", "surveycoal.web")


def cannot_listen(host: str, port: int, reason: int | None = errno.EADDRINUSE) -> InputError:
    """The refusal for an address and port this computer cannot listen on (``reason``: errno)."""
    if reason == errno.EACCES:
        hint = _(
            "Ports below 1024 need administrator rights: choose one from 1024 up with --port, "
            "for example --port 8080."
        )
    elif reason == errno.EADDRINUSE:
        hint = _("Another program may be using that port: choose another with --port.")
    else:
        hint = _(
            "Give --host an address of this computer: 0.0.0.0 for every network, or 127.0.0.1."
        )
    return InputError(
        _("Could not listen on {address}.").format(address=f"{host}:{port}"), hint=hint
    )


def check_can_listen(host: str, port: int) -> None:
    """Refuse, before anything is shown, an address and port this computer cannot listen on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # as the web server itself binds: a port left in TIME_WAIT is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise cannot_listen(host, port, exc.errno) from None


class ServerLog(logging.Handler):
    """The web server's log lines as the lead reads them (see the module's text)."""

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.show = show

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("surveycoal"):
            self.show(record.getMessage())  # already in the lead's language
            return
        if isinstance(record.msg, OSError) or record.levelno < logging.ERROR:
            # The port: the command says it itself. A warning: one device's malformed
            # request, refused; nothing for the lead to do.
            return
        kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        self.show(
            _("The web server had a problem ({kind}); it keeps serving.").format(
                kind=kind or record.getMessage().splitlines()[0]
            )
        )


def route_server_log(show: Callable[[str], None]) -> ServerLog:
    """Send the web server's log lines to ``show``, through :class:`ServerLog`, and only there."""
    handler = ServerLog(show)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, ServerLog)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.propagate = False
    return handler


__all__ = ["ServerLog", "cannot_listen", "check_can_listen", "route_server_log"]
