"""Migrating the test database back to a state before a data migration, and forward again."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def back_to(targets):
    """A generator for a fixture: migrate to targets, yield, then forward to every leaf."""
    MigrationExecutor(connection).migrate(targets)
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
