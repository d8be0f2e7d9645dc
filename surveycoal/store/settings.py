"""Named settings of a database (the ``settings`` table): read one, set one.

The hashing key lives there too, but is read only through
:meth:`surveycoal.store.database.Store.hash_key` and written only by the migrations.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from surveycoal.store import schema
from surveycoal.store.database import Store


def get_setting(store: Store, key: str) -> str | None:
    """The value stored under ``key``, or None."""
    t = schema.settings
    with store.read() as conn:
        value = conn.execute(select(t.c.value).where(t.c.key == key)).scalar()
    return None if value is None else str(value)


def set_setting(store: Store, key: str, value: str) -> None:
    """Store ``value`` under ``key``, replacing what was there, in one write transaction."""
    t = schema.settings
    with store.write() as conn:
        found = conn.execute(select(t.c.key).where(t.c.key == key)).first()
        if found is None:
            conn.execute(insert(t).values(key=key, value=value))
        else:
            conn.execute(update(t).where(t.c.key == key).values(value=value))
