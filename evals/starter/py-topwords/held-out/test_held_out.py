import unittest

from words import top_words


class HeldOut(unittest.TestCase):
    def test_punctuation_and_ties(self):
        self.assertEqual(top_words("Dog, dog! Cat. cat bird", 2), ["cat", "dog"])
        self.assertEqual(top_words("b a c", 3), ["a", "b", "c"])
        self.assertEqual(top_words("", 3), [])
