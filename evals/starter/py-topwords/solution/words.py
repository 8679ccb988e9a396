import re
from collections import Counter


def top_words(text, n):
    """The n most frequent words of the text, most frequent first; ties in alphabetical order."""
    counts = Counter(re.findall(r"[a-z']+", text.lower()))
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]]
