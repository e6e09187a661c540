"""Custom Labels projects and project versions (issue #6)."""

from __future__ import annotations
