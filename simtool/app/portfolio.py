"""A trainee's portfolio across time and places (issue 17, item 6): the person named by a
trainee id or a staff id — every record merged into them, drills of every site, imported ones
included — their drills, indicator trends and critical items; and the same as a PDF for the
trainee's file. The window's portfolio view and ``simtool export --kind portfolio`` both call
this; neither builds a portfolio itself.

The PDF is written through ``simtool.store.outputs.write_atomic``: never over the archive in
use, never over an existing file unless the caller says it may, whole or not at all."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from simtool.app.people import PeopleError, find_person
from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.store.errors import NotFoundError


class PortfolioError(SimtoolError):
    """A portfolio that cannot be made: an unknown person, a bad language; nothing written."""


def person_id(archive: Archive, who: str) -> str:
    """The trainee id of the person ``who`` names (a trainee id or a staff id), as one
    sentence when there is none or the staff id names several people."""
    try:
        return find_person(archive, who)
    except PeopleError as exc:
        raise PortfolioError(str(exc)) from None


def trainee_portfolio(archive: Archive, who: str) -> dict[str, Any]:
    """The portfolio data of the person ``who`` names (``store.portfolio.portfolio``)."""
    from simtool.store.portfolio import portfolio
    tid = person_id(archive, who)
    try:
        return portfolio(archive, tid)
    except NotFoundError as exc:
        raise PortfolioError(str(exc)) from None


def portfolio_pdf(archive: Archive, who: str, lang: str = "en", header: Any = None,
                  generated_at: datetime | None = None) -> bytes:
    """The portfolio PDF of the person ``who`` names, in ``lang``."""
    from simtool.reports.common import Header
    from simtool.reports.i18n import check_lang
    from simtool.reports.portfolio import render_portfolio
    from simtool.reports.portfoliodata import portfolio_report
    check_lang(lang)
    data = trainee_portfolio(archive, who)
    return render_portfolio(portfolio_report(data, lang, header or Header(), generated_at))


def write_portfolio_pdf(archive_path: str | os.PathLike[str], who: str, out: str | os.PathLike[str],
                        lang: str = "en", header: Any = None, *, force: bool = False) -> Path:
    """Open the archive at ``archive_path`` (read only what it needs; it must exist), and write
    the portfolio PDF of ``who`` to ``out``. The target is checked before any work: the
    archive and its companions are refused, an existing file is kept unless ``force``."""
    from simtool.store.outputs import check_target, write_atomic
    archive_path, out = Path(archive_path), Path(out)
    check_target(out, protect=[archive_path], force=force)
    with Archive.open(archive_path, create=False) as archive:
        data = portfolio_pdf(archive, who, lang, header)
    return write_atomic(out, data, protect=[archive_path], force=force)
