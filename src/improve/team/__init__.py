"""Working as a team: git (run, log, commit), who is making a change, who leads what."""
