"""Coach review: a unit across its sorts, next steps followed up, exports."""
