"""Key performance indicators from the Department for Education's published files:
an Explore Education Statistics data file (`ees.py`), the statistical neighbours
(`neighbours.py`), and the council's readings with England, its region and its
neighbours as comparators written into a plan's measure (`apply.py`).

Nothing here uses the network: the files are ones a person downloaded.
"""
