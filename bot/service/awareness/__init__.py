"""Awareness campaigns: the weekly rotation and the sender."""
