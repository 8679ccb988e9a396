import unittest

from slug import slugify


class HeldOut(unittest.TestCase):
    def test_runs_and_ends(self):
        self.assertEqual(slugify("  --Grandpa's   GPU box--  "), "grandpa-s-gpu-box")
        self.assertEqual(slugify("a__b"), "a-b")
        self.assertEqual(slugify("!!!"), "")
