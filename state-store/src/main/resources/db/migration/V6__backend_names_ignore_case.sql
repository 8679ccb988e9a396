-- Backend names are unique without regard to case: "Coder" and "coder" would be two backends a person
-- cannot tell apart in a log.
create unique index backends_name_lower_idx on backends (lower(name));
