"""Custom Labels: projects, project versions and DetectCustomLabels (issue #6)."""

from __future__ import annotations

from argus.gateway.operations.context import Handler

HANDLERS: dict[str, Handler] = {}
