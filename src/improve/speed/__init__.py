"""The speed layer: the cache of parsed plans, the day's memos and the day view."""
