"""SNS-style topics hosted by Argus: subscriptions, signed messages and durable deliveries."""
