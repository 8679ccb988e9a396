import unittest

from words import top_words


class WordsTest(unittest.TestCase):
    def test_case_does_not_make_another_word(self):
        self.assertEqual(top_words("The cat saw the dog", 1), ["the"])
