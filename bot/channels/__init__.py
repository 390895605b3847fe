"""Channels: translate a platform's updates into the core's messages and back."""
