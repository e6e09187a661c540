"""GetCelebrityInfo's handler: the gateway answers from the database alone."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import botocore.session
import pytest

from argus.core.db.engine import Database
from argus.core.db.models import Celebrity
from argus.core.errors import ResourceNotFoundException
from argus.gateway.operations.celebrities import get_celebrity_info
from argus.gateway.operations.context import RequestContext
from argus.gateway.operations.table import HANDLERS
from argus.gateway.protocol.encoding import encode_output
from tests.celebrities.helpers import ACCOUNT

OPERATION = (
    botocore.session.get_session().get_service_model("rekognition").operation_model("GetCelebrityInfo")
)


def context(db: Database, account_id: str = ACCOUNT) -> RequestContext:
    state: Any = SimpleNamespace(db=db)
    return RequestContext("r-1", "GetCelebrityInfo", account_id, "us-east-1", state)


def test_the_handler_is_registered() -> None:
    assert HANDLERS["GetCelebrityInfo"] is get_celebrity_info


def test_a_known_id_gives_urls_name_and_gender(db: Database) -> None:
    with db.session() as session:
        session.add(
            Celebrity(
                account_id=ACCOUNT,
                celebrity_id="1a2b3c4d",
                name="Eileen Collins",
                urls=["www.nasa.gov"],
                known_gender="Female",
            )
        )
    body = get_celebrity_info(context(db), {"Id": "1a2b3c4d"})
    assert body == {"Urls": ["www.nasa.gov"], "Name": "Eileen Collins", "KnownGender": {"Type": "Female"}}
    assert encode_output(OPERATION, body) == body
    with pytest.raises(ResourceNotFoundException, match="The celebrity id: 1a2b3c4d does not exist"):
        get_celebrity_info(context(db, "210987654321"), {"Id": "1a2b3c4d"})


@pytest.mark.parametrize("celebrity_id", ["zz999999", "", "1A2B3C4D"])
def test_an_unknown_id_is_not_found(db: Database, celebrity_id: str) -> None:
    with pytest.raises(ResourceNotFoundException):
        get_celebrity_info(context(db), {"Id": celebrity_id})
