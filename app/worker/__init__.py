"""The background side: the RQ worker and the upkeep of the email queue."""
