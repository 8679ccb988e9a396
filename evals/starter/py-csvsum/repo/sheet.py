import csv
import io


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))
