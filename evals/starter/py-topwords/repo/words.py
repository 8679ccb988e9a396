from collections import Counter


def top_words(text, n):
    """The n most frequent words of the text, most frequent first."""
    counts = Counter(text.split())
    return [word for word, _ in counts.most_common(n)]
