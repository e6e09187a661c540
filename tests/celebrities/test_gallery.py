"""Reading gallery folders: info.json rules, photos, every problem reported at once; celebrity ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from argus.celebrities.gallery import GalleryError, read_gallery
from argus.celebrities.store import GALLERY_OWNER, celebrity_id_for
from tests.celebrities.helpers import person

JPEG = b"\xff\xd8\xff\xe0 not decoded while reading the folder"


def test_reads_one_person_per_folder_with_defaults(tmp_path: Path) -> None:
    person(
        tmp_path,
        "b-person",
        {"name": "  Ada Lovelace ", "urls": ["en.wikipedia.org/wiki/Ada_Lovelace"], "known_gender": "female"},
        {"2.PNG": JPEG, "1.jpg": JPEG, "notes.txt": b"ignored", ".hidden.jpg": JPEG},
    )
    person(tmp_path, "a-person", {"name": "Alan Turing"}, {"portrait.jpeg": JPEG})
    (tmp_path / ".trash").mkdir()
    (tmp_path / "README.md").write_text("top-level files are ignored")

    alan, ada = read_gallery(tmp_path)
    assert (alan.name, alan.urls, alan.known_gender) == ("Alan Turing", [], "Unlisted")
    assert [p.name for p in alan.photos] == ["portrait.jpeg"]
    assert (ada.name, ada.urls, ada.known_gender) == (
        "Ada Lovelace",
        ["en.wikipedia.org/wiki/Ada_Lovelace"],
        "Female",
    )
    assert [p.name for p in ada.photos] == ["1.jpg", "2.PNG"]


def test_a_folder_with_its_own_info_file_is_one_person(tmp_path: Path) -> None:
    folder = person(tmp_path, "solo", {"name": "Grace Hopper", "known_gender": "Female"}, {"a.jpg": JPEG})
    [grace] = read_gallery(folder)
    assert grace.name == "Grace Hopper"
    assert grace.folder == folder


def test_photos_may_be_symbolic_links(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.jpg"
    target.write_bytes(JPEG)
    person(tmp_path / "gallery", "linked", {"name": "Linked"}, {"a.jpg": target})
    [linked] = read_gallery(tmp_path / "gallery")
    assert [p.name for p in linked.photos] == ["a.jpg"]


@pytest.mark.parametrize(
    ("info", "problem"),
    [
        (None, "info.json: missing"),
        ("{not json", "info.json: not valid JSON (Expecting property name enclosed in double quotes"),
        ('["Alan"]', "info.json: must hold a JSON object, not list"),
        ({"urls": []}, "info.json: 'name' must be a non-empty string"),
        ({"name": "   "}, "info.json: 'name' must be a non-empty string"),
        ({"name": 7}, "info.json: 'name' must be a non-empty string"),
        ({"name": "x" * 256}, "info.json: 'name' is longer than 255 characters"),
        ({"name": "A", "urls": "example.com"}, "info.json: 'urls' must be a list of non-empty strings"),
        ({"name": "A", "urls": ["ok", 3]}, "info.json: 'urls' must be a list of non-empty strings"),
        ({"name": "A", "urls": ["u"] * 256}, "info.json: 'urls' holds 256 entries; at most 255"),
        (
            {"name": "A", "known_gender": "robot"},
            "info.json: 'known_gender' must be one of Male, Female, Nonbinary, Unlisted, not 'robot'",
        ),
        (
            {"name": "A", "knownGender": "Male"},
            "info.json: unknown member(s) 'knownGender'; allowed: known_gender, name, urls",
        ),
    ],
)
def test_a_bad_info_file_is_an_error_naming_the_file(tmp_path: Path, info: object, problem: str) -> None:
    person(tmp_path, "someone", info, {"a.jpg": JPEG})
    with pytest.raises(GalleryError) as raised:
        read_gallery(tmp_path)
    [reported] = raised.value.problems
    assert reported.startswith(f"{tmp_path / 'someone' / 'info.json'}: ")
    assert problem.split(": ", 1)[1] in reported


def test_an_info_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    folder = person(tmp_path, "latin1", None, {"a.jpg": JPEG})
    (folder / "info.json").write_bytes('{"name": "Ren\xe9"}'.encode("latin-1"))
    with pytest.raises(GalleryError, match=r"info\.json: not UTF-8 text"):
        read_gallery(tmp_path)


def test_every_problem_of_the_gallery_is_reported_at_once(tmp_path: Path) -> None:
    person(tmp_path, "no-photos", {"name": "Nobody"}, {"notes.txt": b"x"})
    person(tmp_path, "no-info", None, {"a.jpg": JPEG})
    person(tmp_path, "twin-1", {"name": "Same Name"}, {"a.jpg": JPEG})
    person(tmp_path, "twin-2", {"name": "Same Name "}, {"a.jpg": JPEG})
    person(tmp_path, "fine", {"name": "Fine"}, {"a.jpg": JPEG})
    with pytest.raises(GalleryError) as raised:
        read_gallery(tmp_path)
    assert raised.value.problems == [
        f"{tmp_path / 'no-info' / 'info.json'}: missing (every person folder needs an info.json)",
        f"{tmp_path / 'no-photos'}: no photos (.jpg, .jpeg or .png files)",
        f"{tmp_path / 'twin-2'}: the name 'Same Name' is also used by {tmp_path / 'twin-1'}",
    ]
    assert str(raised.value).startswith("the gallery cannot be imported:\n  ")


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GalleryError, match="holds no person folders"):
        read_gallery(tmp_path)
    with pytest.raises(GalleryError, match="is not a folder"):
        read_gallery(tmp_path / "missing")


def test_celebrity_ids_are_stable_short_and_unique() -> None:
    first = celebrity_id_for("Eileen Collins")
    assert first == celebrity_id_for("Eileen Collins ") == celebrity_id_for("Eileen Collins")
    assert len(first) == 8 and first.isalnum() and first == first.lower()
    assert celebrity_id_for("Sally Ride") != first
    other = celebrity_id_for("Eileen Collins", taken={first})
    assert other != first and len(other) == 8
    assert len({celebrity_id_for(f"person {n}") for n in range(2000)}) == 2000


def test_the_gallery_owner_can_never_be_an_account() -> None:
    assert len(GALLERY_OWNER) <= 12 and not GALLERY_OWNER.isdigit()
