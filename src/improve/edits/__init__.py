"""Changing a plan: what a change is, its checks, the new text, and the safe write."""
