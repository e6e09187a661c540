"""GetCelebrityInfo: answered from the database (the account's celebrity gallery)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.celebrities import store
from argus.gateway.operations.context import RequestContext


def get_celebrity_info(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        return store.info(store.find_celebrity(session, ctx.account_id, params["Id"]))
