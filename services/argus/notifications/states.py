"""Status values stored in the notification tables."""

from __future__ import annotations

# Subscriptions
PENDING_CONFIRMATION = "PendingConfirmation"
CONFIRMED = "Confirmed"

# Deliveries
PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
DELIVERY_STATUSES = (PENDING, DELIVERED, FAILED)
