"""Moderation: editors and admins publish, hide and feature buildings; admins manage users."""
