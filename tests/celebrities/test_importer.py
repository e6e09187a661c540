"""Importing galleries into a real SQLite database with the real face models."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import skimage.data
from PIL import Image
from sqlalchemy import select

from argus.celebrities.gallery import GalleryError
from argus.celebrities.importer import import_gallery
from argus.celebrities.store import GALLERY_OWNER, face_counts, find_celebrity, find_gallery, list_celebrities
from argus.core.db import faces as repository
from argus.core.db.engine import Database
from argus.core.db.models import Celebrity, Collection, FaceTombstone
from argus.core.errors import ResourceNotFoundException
from argus.core.models.registry import ModelRegistry
from tests.celebrities.helpers import ACCOUNT, person
from tests.conftest import encode

EILEEN = {"name": "Eileen Collins", "urls": ["www.nasa.gov/people/eileen-collins"], "known_gender": "Female"}


def astronaut(kind: str = "original") -> bytes:
    image = Image.fromarray(skimage.data.astronaut())
    if kind == "flipped":
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    elif kind == "small":
        image = image.resize((256, 256), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG" if kind == "png" else "JPEG", quality=92)
    return buffer.getvalue()


def coffee() -> bytes:
    return encode(skimage.data.coffee(), quality=90)


def test_import_stores_the_people_and_their_faces(
    tmp_path: Path, db: Database, registry: ModelRegistry
) -> None:
    person(tmp_path / "gallery", "eileen", EILEEN, {"1.jpg": astronaut(), "2.png": astronaut("png")})
    report = import_gallery(db, registry, ACCOUNT, tmp_path / "gallery")

    [imported] = report.people
    assert (imported.name, imported.faces, imported.replaced, imported.created) == (
        "Eileen Collins",
        2,
        0,
        True,
    )
    assert report.warnings == []
    with db.session() as session:
        celebrity = find_celebrity(session, ACCOUNT, imported.celebrity_id)
        assert (celebrity.name, celebrity.urls, celebrity.known_gender) == (
            "Eileen Collins",
            ["www.nasa.gov/people/eileen-collins"],
            "Female",
        )
        gallery = find_gallery(session, ACCOUNT)
        assert gallery is not None
        assert (gallery.account_id, gallery.collection_id) == (GALLERY_OWNER, ACCOUNT)
        faces = repository.faces_of_image(session, gallery, imported.celebrity_id)
        assert len(faces) == 2
        assert len({face.image_id for face in faces}) == 2  # one ImageId per photo
        vectors = [repository.embedding_of(face) for face in faces]
        assert all(abs(float(np.linalg.norm(v)) - 1.0) < 1e-5 for v in vectors)
        assert float(np.dot(vectors[0], vectors[1])) > 0.95  # the same photo, JPEG and PNG
        assert face_counts(session, ACCOUNT) == {imported.celebrity_id: 2}
        # The account's own collections never include the gallery.
        assert session.scalars(select(Collection).where(Collection.account_id == ACCOUNT)).all() == []


def test_reimport_replaces_the_faces_and_keeps_the_id(
    tmp_path: Path, db: Database, registry: ModelRegistry
) -> None:
    person(tmp_path / "first", "eileen", EILEEN, {"1.jpg": astronaut(), "2.jpg": astronaut("flipped")})
    person(tmp_path / "first", "zidane", {"name": "Someone Else"}, {"1.jpg": astronaut("small")})
    first = import_gallery(db, registry, ACCOUNT, tmp_path / "first")
    ids = {p.name: p.celebrity_id for p in first.people}

    again = import_gallery(db, registry, ACCOUNT, tmp_path / "first")
    assert [(p.celebrity_id, p.faces, p.replaced, p.created) for p in again.people] == [
        (ids["Eileen Collins"], 2, 2, False),
        (ids["Someone Else"], 1, 1, False),
    ]
    with db.session() as session:
        gallery = find_gallery(session, ACCOUNT)
        assert gallery is not None
        assert face_counts(session, ACCOUNT) == {ids["Eileen Collins"]: 2, ids["Someone Else"]: 1}
        assert len(session.scalars(select(FaceTombstone)).all()) == 3  # the vector indexes follow
        assert len(session.scalars(select(Celebrity)).all()) == 2

    # One person again, with new details and one photo: only they change.
    changed = {"name": "Eileen Collins", "urls": [], "known_gender": "Unlisted"}
    person(tmp_path / "second", "eileen-again", changed, {"only.jpg": astronaut("small")})
    third = import_gallery(db, registry, ACCOUNT, tmp_path / "second")
    assert [(p.celebrity_id, p.faces, p.replaced, p.created) for p in third.people] == [
        (ids["Eileen Collins"], 1, 2, False)
    ]
    with db.session() as session:
        eileen = find_celebrity(session, ACCOUNT, ids["Eileen Collins"])
        assert (eileen.urls, eileen.known_gender) == ([], "Unlisted")
        assert face_counts(session, ACCOUNT) == {ids["Eileen Collins"]: 1, ids["Someone Else"]: 1}
        assert [c.name for c in list_celebrities(session, ACCOUNT)] == ["Eileen Collins", "Someone Else"]


def test_galleries_belong_to_one_account(tmp_path: Path, db: Database, registry: ModelRegistry) -> None:
    person(tmp_path / "gallery", "eileen", EILEEN, {"1.jpg": astronaut()})
    [mine] = import_gallery(db, registry, ACCOUNT, tmp_path / "gallery").people
    [theirs] = import_gallery(db, registry, "210987654321", tmp_path / "gallery").people
    assert mine.celebrity_id == theirs.celebrity_id  # derived from the name
    with db.session() as session:
        mine_gallery, their_gallery = find_gallery(session, ACCOUNT), find_gallery(session, "210987654321")
        assert mine_gallery is not None and their_gallery is not None
        assert mine_gallery.pk != their_gallery.pk
        assert find_gallery(session, "999999999999") is None
        with pytest.raises(ResourceNotFoundException):
            find_celebrity(session, "999999999999", mine.celebrity_id)


def test_a_photo_without_a_face_is_skipped_with_a_warning(
    tmp_path: Path, db: Database, registry: ModelRegistry
) -> None:
    person(tmp_path / "gallery", "eileen", EILEEN, {"1.jpg": astronaut(), "2.jpg": coffee()})
    report = import_gallery(db, registry, ACCOUNT, tmp_path / "gallery")
    assert [p.faces for p in report.people] == [1]
    assert report.warnings == [f"{tmp_path / 'gallery' / 'eileen' / '2.jpg'}: no face found; skipped"]


def test_a_photo_with_several_faces_gives_its_largest(
    tmp_path: Path, db: Database, registry: ModelRegistry
) -> None:
    pixels = skimage.data.astronaut()
    small = np.asarray(Image.fromarray(pixels).resize((256, 256)))
    both = np.zeros((512, 768, 3), np.uint8)
    both[:, :512], both[:256, 512:] = pixels, small
    person(tmp_path / "gallery", "eileen", EILEEN, {"1.jpg": encode(both, quality=92)})
    report = import_gallery(db, registry, ACCOUNT, tmp_path / "gallery")
    assert report.warnings == [f"{tmp_path / 'gallery' / 'eileen' / '1.jpg'}: 2 faces; the largest is used"]
    with db.session() as session:
        gallery = find_gallery(session, ACCOUNT)
        assert gallery is not None
        [face] = repository.faces_of_image(session, gallery, report.people[0].celebrity_id)
        assert face.bbox_left < 0.6  # the big face on the left, not the small one on the right


def test_nothing_is_written_when_a_person_has_no_usable_photo(
    tmp_path: Path, db: Database, registry: ModelRegistry
) -> None:
    person(tmp_path / "gallery", "eileen", EILEEN, {"1.jpg": astronaut()})
    person(tmp_path / "gallery", "mug", {"name": "A Coffee Mug"}, {"1.jpg": coffee()})
    person(tmp_path / "gallery", "broken", {"name": "Broken"}, {"1.jpg": b"\xff\xd8\xff\xe0truncated"})
    person(tmp_path / "gallery", "gif", {"name": "Gif"}, {"1.png": b"GIF89a not a png"})
    with pytest.raises(GalleryError) as raised:
        import_gallery(db, registry, ACCOUNT, tmp_path / "gallery")
    problems = raised.value.problems
    assert len(problems) == 3
    assert problems[0].startswith(f"{tmp_path / 'gallery' / 'broken' / '1.jpg'}: Request has invalid image")
    assert problems[1] == (
        f"{tmp_path / 'gallery' / 'gif' / '1.png'}: "
        "Request has invalid image format: only JPEG and PNG are supported"
    )
    assert problems[2] == f"{tmp_path / 'gallery' / 'mug'}: no face found in any of its 1 photo(s)"
    with db.session() as session:
        assert list_celebrities(session, ACCOUNT) == []
        assert find_gallery(session, ACCOUNT) is None


def test_a_bad_info_file_stops_the_import_before_any_model_runs(tmp_path: Path, db: Database) -> None:
    person(tmp_path / "gallery", "eileen", {"name": "Eileen Collins", "known_gender": "F"}, {"1.jpg": b""})

    class NoModels(ModelRegistry):
        def get(self, task: object) -> object:
            raise AssertionError("no model may run for a gallery that cannot be imported")

    with pytest.raises(GalleryError, match="'known_gender' must be one of"):
        import_gallery(db, NoModels.__new__(NoModels), ACCOUNT, tmp_path / "gallery")
