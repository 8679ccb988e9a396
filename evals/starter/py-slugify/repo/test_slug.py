import unittest

from slug import slugify


class SlugTest(unittest.TestCase):
    def test_words_are_joined_by_one_dash(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")
