"""The celebrity gallery end to end, in the embedded and the cluster mode: `argus celebrities import`
run as the operator runs it, then RecognizeCelebrities and GetCelebrityInfo through a real boto3 client.

Every test works in an account of its own (a key made with `argus keys create`), so galleries of
different tests never meet, and the accounts of the other e2e tests never get one.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pytest
import skimage.data
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.conftest import encode
from tests.e2e.conftest import REGION
from tests.e2e.servers import Server, argus

EILEEN = {"name": "Eileen Collins", "urls": ["www.nasa.gov/people/eileen-collins"], "known_gender": "Female"}
SHARED_PEOPLE = (
    (
        "obama",
        {"name": "Barack Obama", "urls": ["en.wikipedia.org/wiki/Barack_Obama"], "known_gender": "Male"},
    ),
    ("biden", {"name": "Joe Biden", "urls": ["en.wikipedia.org/wiki/Joe_Biden"], "known_gender": "Male"}),
    ("harington", {"name": "Kit Harington", "urls": [], "known_gender": "Male"}),
)
SHARED_PHOTOS = {
    "obama": ["obama_1.jpg", "obama_2.jpg", "obama_4.jpg"],
    "biden": ["biden_1.jpg"],
    "harington": ["harington_1.jpg", "harington_2.jpg"],
}


@dataclass
class Account:
    """A fresh account on the server: its id, a client signed with its key, and the CLI's environment."""

    account_id: str
    client: Any
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argus(*args), env=self.env, capture_output=True, text=True, timeout=300)

    def import_gallery(self, folder: Path) -> list[dict[str, Any]]:
        done = self.cli("celebrities", "import", str(folder))
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    def listed(self) -> list[dict[str, Any]]:
        done = self.cli("celebrities", "list")
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture
def account(server: Server) -> Account:
    account_id = f"{secrets.randbelow(10**11) + 10**11:012d}"
    if server.mode == "embedded":
        assert server.data_dir is not None
        env = {**server.env, "ARGUS_MODE": "embedded", "ARGUS_DATA_DIR": str(server.data_dir)}
    else:
        env = dict(server.env)
    env["ARGUS_ACCOUNT_ID"] = account_id
    made = subprocess.run(argus("keys", "create"), env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)
    client = boto3.client(
        "rekognition",
        endpoint_url=server.endpoint,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        config=Config(retries={"max_attempts": 1}),
    )
    return Account(account_id, client, env)


def write_person(root: Path, folder: str, info: dict[str, Any]) -> Path:
    path = root / folder
    path.mkdir(parents=True)
    (path / "info.json").write_text(json.dumps(info))
    return path


def flipped_astronaut() -> bytes:
    return encode(np.ascontiguousarray(skimage.data.astronaut()[:, ::-1]), quality=90)


@pytest.fixture
def eileen_gallery(tmp_path: Path, astronaut_jpeg: bytes) -> Path:
    """A gallery from a package image: skimage's astronaut is NASA's Eileen Collins."""
    folder = write_person(tmp_path / "gallery", "eileen-collins", EILEEN)
    (folder / "astronaut.jpg").write_bytes(astronaut_jpeg)
    return tmp_path / "gallery"


def test_a_gallery_member_is_recognized_and_described(
    account: Account, eileen_gallery: Path, zidane_jpeg: bytes
) -> None:
    [imported] = account.import_gallery(eileen_gallery)
    assert (imported["Name"], imported["Faces"], imported["Created"]) == ("Eileen Collins", 1, True)
    celebrity_id = imported["Id"]

    response = account.client.recognize_celebrities(Image={"Bytes": flipped_astronaut()})
    [celebrity] = response["CelebrityFaces"]
    assert response["UnrecognizedFaces"] == []
    assert celebrity["Id"] == celebrity_id
    assert celebrity["Name"] == "Eileen Collins"
    assert celebrity["Urls"] == ["www.nasa.gov/people/eileen-collins"]
    assert celebrity["KnownGender"] == {"Type": "Female"}
    assert celebrity["MatchConfidence"] >= 90
    assert {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality"} <= set(celebrity["Face"])
    assert "OrientationCorrection" not in response

    strangers = account.client.recognize_celebrities(Image={"Bytes": zidane_jpeg})
    assert strangers["CelebrityFaces"] == []
    assert len(strangers["UnrecognizedFaces"]) == 2

    info = account.client.get_celebrity_info(Id=celebrity_id)
    assert {key: info[key] for key in ("Name", "Urls", "KnownGender")} == {
        "Name": "Eileen Collins",
        "Urls": ["www.nasa.gov/people/eileen-collins"],
        "KnownGender": {"Type": "Female"},
    }
    with pytest.raises(account.client.exceptions.ResourceNotFoundException):
        account.client.get_celebrity_info(Id="zz999999")
    # The gallery is no collection of the account's.
    assert account.client.list_collections()["CollectionIds"] == []


def test_reimport_keeps_the_id_and_replaces_the_faces(account: Account, eileen_gallery: Path) -> None:
    [first] = account.import_gallery(eileen_gallery)
    (eileen_gallery / "eileen-collins" / "info.json").write_text(
        json.dumps({**EILEEN, "urls": ["en.wikipedia.org/wiki/Eileen_Collins"]})
    )
    [second] = account.import_gallery(eileen_gallery)
    assert (second["Id"], second["Faces"], second["ReplacedFaces"], second["Created"]) == (
        first["Id"],
        1,
        1,
        False,
    )
    assert account.listed() == [
        {
            "Id": first["Id"],
            "Name": "Eileen Collins",
            "Urls": ["en.wikipedia.org/wiki/Eileen_Collins"],
            "KnownGender": "Female",
            "Faces": 1,
        }
    ]
    [celebrity] = account.client.recognize_celebrities(Image={"Bytes": flipped_astronaut()})["CelebrityFaces"]
    assert celebrity["Id"] == first["Id"]
    assert celebrity["Urls"] == ["en.wikipedia.org/wiki/Eileen_Collins"]


def test_people_of_real_photos_are_recognized_in_other_photos(
    account: Account, tmp_path: Path, shared_faces: Path
) -> None:
    gallery = tmp_path / "gallery"
    for folder, info in SHARED_PEOPLE:
        path = write_person(gallery, folder, info)
        for photo in SHARED_PHOTOS[folder]:
            (path / photo).symlink_to(shared_faces / photo)  # the shared photos are never copied
    imported = {person["Name"]: person for person in account.import_gallery(gallery)}
    assert {name: person["Faces"] for name, person in imported.items()} == {
        "Barack Obama": 3,
        "Joe Biden": 1,
        "Kit Harington": 2,
    }

    def recognize(photo: str) -> dict[str, Any]:
        result: dict[str, Any] = account.client.recognize_celebrities(
            Image={"Bytes": (shared_faces / photo).read_bytes()}
        )
        return result

    obama = recognize("obama_3.jpg")
    [celebrity] = obama["CelebrityFaces"]
    assert (celebrity["Name"], celebrity["Id"]) == ("Barack Obama", imported["Barack Obama"]["Id"])
    assert celebrity["Urls"] == ["en.wikipedia.org/wiki/Barack_Obama"]
    assert celebrity["MatchConfidence"] >= 90
    [celebrity] = recognize("harington_3.jpg")["CelebrityFaces"]
    assert celebrity["Name"] == "Kit Harington"
    assert celebrity["MatchConfidence"] >= 90

    stranger = recognize("leslie_1.jpg")  # Rose Leslie is not in the gallery
    assert stranger["CelebrityFaces"] == []
    assert len(stranger["UnrecognizedFaces"]) == 1

    group = recognize("group_obama_biden.jpg")
    assert sorted(c["Name"] for c in group["CelebrityFaces"]) == ["Barack Obama", "Joe Biden"]
    assert group["UnrecognizedFaces"] == []

    info = account.client.get_celebrity_info(Id=imported["Joe Biden"]["Id"])
    assert (info["Name"], info["Urls"], info["KnownGender"]) == (
        "Joe Biden",
        ["en.wikipedia.org/wiki/Joe_Biden"],
        {"Type": "Male"},
    )


def test_an_empty_gallery_recognizes_no_one(account: Account, astronaut_jpeg: bytes) -> None:
    response = account.client.recognize_celebrities(Image={"Bytes": astronaut_jpeg})
    assert response["CelebrityFaces"] == []
    assert len(response["UnrecognizedFaces"]) == 1
    with pytest.raises(ClientError) as raised:
        account.client.get_celebrity_info(Id="abc12345")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert account.listed() == []


def test_another_account_never_sees_the_gallery(
    account: Account, eileen_gallery: Path, rekognition: Any
) -> None:
    [imported] = account.import_gallery(eileen_gallery)
    with pytest.raises(rekognition.exceptions.ResourceNotFoundException):
        rekognition.get_celebrity_info(Id=imported["Id"])
    assert rekognition.recognize_celebrities(Image={"Bytes": flipped_astronaut()})["CelebrityFaces"] == []


def test_a_bad_gallery_is_refused_and_nothing_is_imported(account: Account, tmp_path: Path) -> None:
    write_person(tmp_path / "gallery", "someone", {"name": "Someone", "known_gender": "robot"})
    done = account.cli("celebrities", "import", str(tmp_path / "gallery"))
    assert done.returncode == 1
    assert "the gallery cannot be imported" in done.stderr
    assert "'known_gender' must be one of Male, Female, Nonbinary, Unlisted, not 'robot'" in done.stderr
    assert "someone: no photos" in done.stderr
    assert account.listed() == []
