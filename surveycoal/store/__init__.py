"""The database: schema, migrations, and the reads and writes the rest of surveycoal uses.

SQLAlchemy 2 Core over a SQLite file by default; any SQLAlchemy URL (PostgreSQL)
for a shared installation. No SQLite-only SQL is written anywhere.
"""

from surveycoal.store.coalitions import (
    Coalition,
    Member,
    Note,
    Programme,
    add_coalition,
    add_member,
    add_note,
    add_programme,
    get_coalition,
    get_programme,
    list_coalitions,
    list_members,
    list_notes,
    list_programmes,
    member_counts,
    member_type_instrument,
    remove_member,
    slugify,
)
from surveycoal.store.database import (
    DEFAULT_DB,
    Store,
    create_store,
    database_url,
    open_store,
    upgrade_store,
)
from surveycoal.store.responses import (
    NewResponse,
    check_response,
    count_responses,
    insert_response,
    load_many,
    load_round_data,
    require_answerable,
    submit_responses,
)
from surveycoal.store.responses import load_rounds as load_rounds
from surveycoal.store.rounds import (
    Round,
    close_round,
    get_round,
    list_rounds,
    open_round,
    parse_round_ref,
    reopen_round,
    replace_instrument,
)
from surveycoal.store.settings import get_setting as get_setting
from surveycoal.store.settings import set_setting as set_setting

__all__ = [
    "DEFAULT_DB",
    "Coalition",
    "Member",
    "NewResponse",
    "Note",
    "Programme",
    "Round",
    "Store",
    "add_coalition",
    "add_member",
    "add_note",
    "add_programme",
    "check_response",
    "close_round",
    "count_responses",
    "create_store",
    "database_url",
    "get_coalition",
    "get_programme",
    "get_round",
    "insert_response",
    "list_coalitions",
    "list_members",
    "list_notes",
    "list_programmes",
    "list_rounds",
    "load_many",
    "load_round_data",
    "member_counts",
    "member_type_instrument",
    "open_round",
    "open_store",
    "parse_round_ref",
    "remove_member",
    "reopen_round",
    "replace_instrument",
    "require_answerable",
    "slugify",
    "submit_responses",
    "upgrade_store",
]
