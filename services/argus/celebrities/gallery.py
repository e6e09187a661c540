"""Reading a gallery folder: one sub-folder per person, with photos and an ``info.json``.

::

    gallery/
      eileen-collins/
        info.json      {"name": "Eileen Collins", "urls": ["www.nasa.gov/..."], "known_gender": "Female"}
        01.jpg
        02.png

``info.json`` members: ``name`` (required, 1-255 characters), ``urls`` (a list of at most 255
strings, default empty) and ``known_gender`` (``Male``, ``Female``, ``Nonbinary`` or ``Unlisted``,
any letter case; default ``Unlisted``). Any other member is an error, so a misspelt key is never
silently ignored. Photos are the ``.jpg``, ``.jpeg`` and ``.png`` files of the folder (any case, symbolic
links followed); hidden entries (``.name``) are skipped and other files are ignored. A ``DIR`` that holds an
``info.json`` itself is read as a gallery of that one person.

:func:`read_gallery` checks the whole folder first and raises one :class:`GalleryError` listing every
problem, so an import never writes half a gallery.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INFO_FILE = "info.json"
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png"})
KNOWN_GENDERS = ("Male", "Female", "Nonbinary", "Unlisted")
DEFAULT_GENDER = "Unlisted"
MAX_NAME = 255
MAX_URLS = 255  # Rekognition's Urls list holds at most 255
INFO_KEYS = frozenset({"name", "urls", "known_gender"})


class GalleryError(ValueError):
    """The gallery cannot be imported; the message lists every problem found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the gallery cannot be imported:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Person:
    """One person of the gallery as its folder describes them."""

    folder: Path
    name: str
    urls: list[str]
    known_gender: str
    photos: list[Path] = field(default_factory=list)


def name_key(name: str) -> str:
    """The form two names are compared in: NFC, surrounding whitespace dropped."""
    return unicodedata.normalize("NFC", name).strip()


def read_gallery(root: Path) -> list[Person]:
    """Every person under ``root``, ordered by folder name; :class:`GalleryError` lists all problems."""
    root = Path(root)
    if not root.is_dir():
        raise GalleryError([f"{root} is not a folder"])
    if (root / INFO_FILE).exists():
        folders = [root]
    else:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise GalleryError([f"{root} holds no person folders (one folder per person, each with {INFO_FILE})"])
    people: list[Person] = []
    problems: list[str] = []
    for folder in folders:
        try:
            people.append(read_person(folder))
        except GalleryError as error:
            problems.extend(error.problems)
    seen: dict[str, Path] = {}
    for person in people:
        key = name_key(person.name)
        if key in seen:
            problems.append(f"{person.folder}: the name {person.name!r} is also used by {seen[key]}")
        else:
            seen[key] = person.folder
    if problems:
        raise GalleryError(problems)
    return people


def read_person(folder: Path) -> Person:
    """One person folder; :class:`GalleryError` lists its problems."""
    problems: list[str] = []
    info = _read_info(folder / INFO_FILE, problems)
    photos = sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.suffix.lower() in PHOTO_SUFFIXES and p.is_file()
    )
    if not photos:
        problems.append(f"{folder}: no photos (.jpg, .jpeg or .png files)")
    if problems or info is None:
        raise GalleryError(problems)
    name, urls, gender = info
    return Person(folder=folder, name=name, urls=urls, known_gender=gender, photos=photos)


def _read_info(path: Path, problems: list[str]) -> tuple[str, list[str], str] | None:
    if not path.is_file():
        problems.append(f"{path}: missing (every person folder needs an {INFO_FILE})")
        return None
    try:
        info: Any = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        problems.append(f"{path}: not UTF-8 text ({error.reason})")
        return None
    except json.JSONDecodeError as error:
        problems.append(f"{path}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})")
        return None
    if not isinstance(info, dict):
        problems.append(f"{path}: must hold a JSON object, not {type(info).__name__}")
        return None
    before = len(problems)
    unknown = sorted(set(info) - INFO_KEYS)
    if unknown:
        allowed = ", ".join(sorted(INFO_KEYS))
        problems.append(f"{path}: unknown member(s) {', '.join(map(repr, unknown))}; allowed: {allowed}")

    name = info.get("name")
    if not isinstance(name, str) or not name_key(name):
        problems.append(f"{path}: 'name' must be a non-empty string")
    elif len(name_key(name)) > MAX_NAME:
        problems.append(f"{path}: 'name' is longer than {MAX_NAME} characters")

    urls = info.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(url, str) and url for url in urls):
        problems.append(f"{path}: 'urls' must be a list of non-empty strings")
    elif len(urls) > MAX_URLS:
        problems.append(f"{path}: 'urls' holds {len(urls)} entries; at most {MAX_URLS} are allowed")

    gender = info.get("known_gender", DEFAULT_GENDER)
    canonical = {g.lower(): g for g in KNOWN_GENDERS}.get(gender.lower()) if isinstance(gender, str) else None
    if canonical is None:
        problems.append(f"{path}: 'known_gender' must be one of {', '.join(KNOWN_GENDERS)}, not {gender!r}")

    if len(problems) > before:
        return None
    assert isinstance(name, str) and canonical is not None
    return name_key(name), list(urls), canonical
