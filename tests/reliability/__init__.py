"""Reliability: concurrent writers, processes killed mid-write, backups and restores."""
