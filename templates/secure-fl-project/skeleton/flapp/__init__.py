"""Federated linear regression: a small Flower app (numpy only)."""
