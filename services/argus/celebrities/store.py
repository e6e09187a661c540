"""Where the gallery lives in the database, and how celebrities are looked up.

People are rows of ``celebrities`` keyed by ``(account_id, celebrity_id)``. Their faces are an ordinary
face collection (``collections``/``faces``/``face_tombstones``, so the workers' vector indexes follow it
like any other), one per account, stored under the reserved owner :data:`GALLERY_OWNER` with the
account's id as its collection id. No account is called that (account ids are 12 digits), so
ListCollections, DescribeCollection and every other user collection API never see a gallery, and no user
can create, change or delete one. Each gallery face carries its celebrity's id as ExternalImageId.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection as Container
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from argus.celebrities.gallery import name_key
from argus.core.db.models import Celebrity, Collection, Face
from argus.core.errors import ResourceNotFoundException

GALLERY_OWNER = "@celebrities"
"""The ``collections.account_id`` of every gallery collection: 12 characters, never an account id."""

ID_LENGTH = 8
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def celebrity_id_for(name: str, taken: Container[str] = ()) -> str:
    """A stable 8-character base-36 id derived from the name (not from ``taken``, ids in use).

    The same name always gets the same id, so re-importing a gallery into another account or a
    fresh database gives the ids it gave before. On the rare clash with an id in ``taken`` the next
    candidate of the same name is used.
    """
    attempt = 0
    while True:
        seed = name_key(name) if attempt == 0 else f"{name_key(name)}\x00{attempt}"
        number = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")
        digits = []
        for _ in range(ID_LENGTH):
            number, digit = divmod(number, len(_ALPHABET))
            digits.append(_ALPHABET[digit])
        candidate = "".join(digits)
        if candidate not in taken:
            return candidate
        attempt += 1


def find_gallery(session: Session, account_id: str, *, for_update: bool = False) -> Collection | None:
    """The account's gallery collection, or None before its first import."""
    query = select(Collection).where(
        Collection.account_id == GALLERY_OWNER, Collection.collection_id == account_id
    )
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def find_celebrity(session: Session, account_id: str, celebrity_id: str) -> Celebrity:
    celebrity = session.get(Celebrity, (account_id, celebrity_id))
    if celebrity is None:
        raise ResourceNotFoundException(f"The celebrity id: {celebrity_id} does not exist")
    return celebrity


def celebrities_by_id(session: Session, account_id: str, ids: Iterable[str]) -> dict[str, Celebrity]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(Celebrity).where(Celebrity.account_id == account_id, Celebrity.celebrity_id.in_(wanted))
    )
    return {row.celebrity_id: row for row in rows}


def list_celebrities(session: Session, account_id: str) -> list[Celebrity]:
    return list(
        session.scalars(select(Celebrity).where(Celebrity.account_id == account_id).order_by(Celebrity.name))
    )


def face_counts(session: Session, account_id: str) -> dict[str, int]:
    """How many gallery faces each celebrity of the account has (those with none are absent)."""
    gallery = find_gallery(session, account_id)
    if gallery is None:
        return {}
    rows = session.execute(
        select(Face.external_image_id, func.count())
        .where(Face.collection_pk == gallery.pk, Face.external_image_id.is_not(None))
        .group_by(Face.external_image_id)
    ).all()
    return {str(celebrity_id): int(count) for celebrity_id, count in rows}


def info(celebrity: Celebrity) -> dict[str, object]:
    """GetCelebrityInfo's answer, and the person part of a RecognizeCelebrities CelebrityFaces entry."""
    return {
        "Urls": list(celebrity.urls),
        "Name": celebrity.name,
        "KnownGender": {"Type": celebrity.known_gender},
    }
