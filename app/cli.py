"""Flask CLI: `flask sync-roles`, `flask demo load`, `flask scheduler`, `flask backup`, `flask restore`,
`flask create-api-key`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup


def sync_roles_and_permissions() -> None:
    from app.commands.accounts.sync_roles import sync_roles

    appbuilder = current_app.appbuilder
    appbuilder.sm.add_role(appbuilder.sm.auth_role_admin)  # FAB grants new permissions to it
    appbuilder.sm.add_role(appbuilder.sm.auth_role_public)
    appbuilder.add_permissions(update_perms=True)
    sync_roles(appbuilder.sm)


def register(app: Flask) -> None:
    @app.cli.command("sync-roles")
    def sync_roles_command():
        """Create the five roles and set their permissions from app/security/roles.py."""
        sync_roles_and_permissions()
        click.echo("roles synced")

    @app.cli.command("create-api-key")
    @click.argument("username")
    @click.argument("name")
    def create_api_key(username: str, name: str):
        """Create an API key for an integration that acts as USERNAME (password login through
        the API is off: docs/security.md, sign-in). The key is printed once; only its hash is kept."""
        from app.commands.accounts.api_keys import CreateApiKeyCommand
        from app.commands.errors import CommandError

        try:
            created = CreateApiKeyCommand(username, name).run()
        except CommandError as err:
            raise click.ClickException(str(err.message)) from None
        click.echo(created["key"])

    demo = AppGroup("demo", help="Demo data.")

    @demo.command("load")
    def demo_load():
        """Load regions and the demo accounts (idempotent)."""
        from app import demo as demo_data

        sync_roles_and_permissions()
        demo_data.load()
        click.echo("demo data loaded; accounts (password from ZC_DEMO_PASSWORD, default Demo@2026):")
        for name in demo_data.DEMO_ACCOUNTS:
            click.echo(f"  {name}")

    app.cli.add_command(demo)

    @app.cli.command("backup")
    @click.argument("archive", required=False, type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(archive):
        """Write the database and the attachments into one archive (default: BACKUP_DIR)."""
        from app.services import backup

        if archive is None:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
            archive = Path(app.config["BACKUP_DIR"]) / f"zhicheng-{stamp}.tar.gz"
        manifest = backup.create(archive)
        click.echo(f"backup written: {archive} ({sum(manifest['rows'].values())} rows, "
                   f"{len(manifest['files']) - 1} attachment files)")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="replace the database and attachments without asking")
    def restore_command(archive, yes):
        """Replace the database and the attachments with those of a `flask backup` archive."""
        from app.services import backup

        if not yes:
            click.confirm("This replaces the whole database and every attachment. Go on?", abort=True)
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"restored {archive} (made {manifest['created_at']}, revision {manifest['revision']})")

    @app.cli.command("scheduler")
    def run_scheduler():
        """Run the scheduled jobs in the foreground: one such process beside web workers that
        run with ZC_SCHEDULER_ENABLED=0."""
        import time

        from app import scheduler

        scheduler.start(app, force=True)
        click.echo("scheduler running; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
