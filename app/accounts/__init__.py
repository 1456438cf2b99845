"""Accounts: registration, sign-in and roles."""
