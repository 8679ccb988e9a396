import csv
import io


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def sum_column(text, name):
    """The sum of a column's whole numbers; blank cells count as nothing; an unknown column is a KeyError."""
    reader = csv.DictReader(io.StringIO(text))
    if name not in (reader.fieldnames or []):
        raise KeyError(name)
    return sum(int(row[name]) for row in reader if row[name] and row[name].strip())
