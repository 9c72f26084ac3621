"""Accounts: signing up, the journal's settings."""
