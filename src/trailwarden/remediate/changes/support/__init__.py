"""Helpers that several kinds of change share (never a change themselves)."""
