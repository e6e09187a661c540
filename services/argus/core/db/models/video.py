"""Stored-video analysis jobs and their results (issue #5)."""

from __future__ import annotations
