"""Stored-video jobs: Start* and Get* for the eight job kinds (issue #5)."""

from __future__ import annotations

from argus.gateway.operations.context import Handler

HANDLERS: dict[str, Handler] = {}
