"""`flask certificates init-signing`: the signing key and self-signed certificate of the electronic
certificates under instance/ (a configured PKCS#12 file, ZC_CERT_SIGNING_P12, replaces them)."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

certificates = AppGroup("certificates", help="Electronic certificates (职称电子证书).")


@certificates.command("init-signing")
@click.option("--force", is_flag=True, help="Make a new key even if one exists (old PDFs then fail to verify "
                                             "against the new certificate).")
def init_signing_command(force: bool):
    """Make the signing key and a self-signed certificate under CERT_SIGNING_DIR."""
    from app.services import signing

    if current_app.config.get("CERT_SIGNING_P12"):
        click.echo("CERT_SIGNING_P12 is set: certificates are signed with that file; nothing made")
        return
    folder = signing.init_signing(force=force)
    click.echo(f"signing key and certificate in {folder}")


def register(app: Flask) -> None:
    app.cli.add_command(certificates)
