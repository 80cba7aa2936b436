"""Keeping and deleting: deleting samples, sorts, meetings and units for good, removing kept
original photos after the team's retention period, and the record of every deletion."""
