"""Sharing a journal with a counselor: invitations, scopes, the access log."""
