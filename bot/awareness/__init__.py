"""Awareness messages: the library, the weekly rotation, and the broadcast sender."""
