"""Persistence: the storage contract and its SQLite implementation."""
