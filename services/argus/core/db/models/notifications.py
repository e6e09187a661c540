"""SNS-style topics, subscriptions and durable notification deliveries (issue #5)."""

from __future__ import annotations
