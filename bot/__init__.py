"""Fraud report bot: the channel-agnostic application core and runtime."""
