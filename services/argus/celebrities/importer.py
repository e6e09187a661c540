"""``argus celebrities import``: a gallery folder into an account's celebrity gallery.

Runs in the calling process with the model registry (the same detection and embedding models, and so
the same face model version, as the image workers). Steps:

1. :func:`~argus.celebrities.gallery.read_gallery` checks every ``info.json`` and that every person
   has photos.
2. Every photo is decoded with the API's rules (JPEG or PNG, EXIF orientation applied) and its
   largest face detected and embedded. A photo without a face is skipped with a warning; an
   unreadable photo, or a person none of whose photos shows a face, is an error.
3. Only when nothing failed, one transaction writes everything: a person new to the account gets a
   ``celebrities`` row and a new id; a known one (same name) keeps the id, gets the new urls and
   gender, and has all their faces replaced by those of this import. People of the account that
   the folder does not mention are left as they are.

The image workers' vector indexes pick the change up on their next search (the gallery is an
ordinary face collection; see :mod:`argus.celebrities.store`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from argus.celebrities.gallery import GalleryError, Person, name_key, read_gallery
from argus.celebrities.store import GALLERY_OWNER, celebrity_id_for, find_gallery
from argus.core.db import faces as repository
from argus.core.db.engine import Database
from argus.core.db.models import Celebrity, Collection, utcnow
from argus.core.errors import InvalidImageFormatException
from argus.core.images import decode_image
from argus.core.models.registry import FACE_MODEL_VERSION, ModelRegistry, Task


@dataclass(frozen=True)
class ImportedPerson:
    celebrity_id: str
    name: str
    faces: int  # faces stored for the person now (one per photo that showed a face)
    replaced: int  # faces of an earlier import removed
    created: bool  # new to the account


@dataclass
class ImportReport:
    people: list[ImportedPerson] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Embedded:
    person: Person
    faces: list[repository.NewFace]


def import_gallery(db: Database, registry: ModelRegistry, account_id: str, root: Path) -> ImportReport:
    """Import the gallery folder ``root`` for ``account_id``; :class:`GalleryError` when it cannot be."""
    people = read_gallery(root)
    report = ImportReport()
    embedded = _embed_people(registry, people, report.warnings)
    try:
        with db.session() as session:
            gallery = _gallery_for_update(session, account_id, report.warnings)
            taken = set(
                session.scalars(select(Celebrity.celebrity_id).where(Celebrity.account_id == account_id))
            )
            for item in embedded:
                report.people.append(_store_person(session, gallery, account_id, item, taken))
    except IntegrityError as error:  # only when two first imports of one account race
        raise GalleryError(
            ["another import into this account's gallery ran at the same time; nothing was written"]
        ) from error
    return report


def _embed_people(registry: ModelRegistry, people: list[Person], warnings: list[str]) -> list[_Embedded]:
    analyzer = registry.get(Task.FACE_DETECTION)
    embedder = registry.get(Task.FACE_EMBEDDING)
    problems: list[str] = []
    embedded: list[_Embedded] = []
    for person in people:
        faces: list[repository.NewFace] = []
        unreadable = 0
        for photo in person.photos:
            try:
                image = decode_image(photo.read_bytes())
            except InvalidImageFormatException as error:
                problems.append(f"{photo}: {error.message}")
                unreadable += 1
                continue
            except OSError as error:
                problems.append(f"{photo}: cannot be read ({error.strerror or error})")
                unreadable += 1
                continue
            found = analyzer.analyze(image.pixels, frozenset({"DEFAULT"}))  # largest face first
            if not found:
                warnings.append(f"{photo}: no face found; skipped")
                continue
            if len(found) > 1:
                warnings.append(f"{photo}: {len(found)} faces; the largest is used")
            face = found[0]
            vector = embedder.embed_faces(image.pixels, [face.detection])[0]
            faces.append(
                repository.NewFace(face.detail["BoundingBox"], float(face.detail["Confidence"]), vector)
            )
        if not faces and not unreadable:
            problems.append(f"{person.folder}: no face found in any of its {len(person.photos)} photo(s)")
        embedded.append(_Embedded(person, faces))
    if problems:
        raise GalleryError(problems)
    return embedded


def _gallery_for_update(session: Session, account_id: str, warnings: list[str]) -> Collection:
    gallery = find_gallery(session, account_id, for_update=True)
    if gallery is not None and gallery.face_model_version != FACE_MODEL_VERSION:
        # Embeddings of different models are never compared: start the gallery afresh.
        warnings.append(
            f"the gallery held faces of face model version {gallery.face_model_version}; they were "
            f"removed, so people not in this import have no faces until they are imported again"
        )
        session.delete(gallery)
        session.flush()
        gallery = None
    if gallery is None:
        gallery = Collection(
            account_id=GALLERY_OWNER,
            collection_id=account_id,
            face_model_version=FACE_MODEL_VERSION,
            tags={},
        )
        session.add(gallery)
        session.flush()
    return gallery


def _store_person(
    session: Session, gallery: Collection, account_id: str, item: _Embedded, taken: set[str]
) -> ImportedPerson:
    person = item.person
    row = session.scalar(
        select(Celebrity).where(Celebrity.account_id == account_id, Celebrity.name == name_key(person.name))
    )
    created = row is None
    if row is None:
        row = Celebrity(
            account_id=account_id,
            celebrity_id=celebrity_id_for(person.name, taken),
            name=name_key(person.name),
            urls=list(person.urls),
            known_gender=person.known_gender,
        )
        taken.add(row.celebrity_id)
        session.add(row)
    else:
        row.urls = list(person.urls)
        row.known_gender = person.known_gender
        row.updated_at = utcnow()
    old = repository.faces_of_image(session, gallery, row.celebrity_id)
    replaced = repository.delete_faces(session, gallery, [face.face_id for face in old])
    for face in item.faces:  # one ImageId per photo
        repository.add_faces(session, gallery, [face], row.celebrity_id, FACE_MODEL_VERSION)
    session.flush()
    return ImportedPerson(
        celebrity_id=row.celebrity_id,
        name=row.name,
        faces=len(item.faces),
        replaced=len(replaced),
        created=created,
    )
