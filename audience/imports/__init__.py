"""The contact import: read a customer file of any common CSV shape (reading), map its columns
(mapping), check each row (rows), write chunks set-based (writing), and drive it (engine)."""
