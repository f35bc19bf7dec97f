"""Indexes that exist on PostgreSQL only and so are not declared on the models: the GIN trigram index
for the unit picker's `%name%` search (migration jj02b7d3f9a2). A model Index would be created (and
expected by the schema comparison) on SQLite too, which has no trigram indexes."""
from __future__ import annotations

POSTGRESQL_ONLY_INDEXES = frozenset({"ix_unit_name_trgm"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter for autogenerate and the schema test: skip the PostgreSQL-only indexes."""
    return not (type_ == "index" and reflected and compare_to is None and name in POSTGRESQL_ONLY_INDEXES)
