"""Commands `flask --app wsgi listings import FILE --owner EMAIL` (a CSV of buildings and units)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from app.accounts.services import find_by_email
from app.agent import csv_import
from app.extensions import db
from app.geo.geocode import geocoder

listings_cli = AppGroup("listings", help="楼盘与房源 (buildings and units).")


@listings_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", "owner_email", required=True, help="The agent's email; owns the rows.")
def import_command(file: Path, owner_email: str) -> None:
    """Import buildings and units from a CSV file (columns: see app/agent/csv_import.py)."""
    owner = find_by_email(owner_email)
    if owner is None or not owner.has_role("agent", "admin"):
        raise click.ClickException(f"找不到经纪人账户：{owner_email}")
    try:
        rows = csv_import.read_rows(csv_import.decode(file.read_bytes()))
    except csv_import.ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    result = csv_import.import_rows(
        rows,
        owner,
        geocoder=geocoder(),
        progress=lambda it: tqdm(it, total=len(rows), unit="行", desc="导入"),
    )
    db.session.commit()
    for error in result.errors:
        click.echo(str(error), err=True)
    for note in result.notes:  # imported, to be checked
        click.echo(f"需核对 {note}")
    click.echo(result.summary)
    if result.errors:
        raise SystemExit(1)
