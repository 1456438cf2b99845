"""Security tests: CSRF, headers, rate limits, authorization, hostile input, the API contract."""
