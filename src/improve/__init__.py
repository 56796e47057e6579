"""improve: track councils' improvement plans (Ofsted, scrutiny, partnership).

The core (model, loading, rules, editing) never imports textual; the app lives in
`improve.tui` and the command line in `improve.cli`, both over `improve.api`.
"""

__version__ = "0.1.0"
