"""The status rules and what is worked out from them: pure functions of (plan, today)."""
