"""Sending a report where security teams already look (AWS Security Hub)."""
