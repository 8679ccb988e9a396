import unittest

from intervals import merge


class MergeTest(unittest.TestCase):
    def test_touching_intervals_are_one(self):
        self.assertEqual(merge([[1, 3], [3, 5]]), [[1, 5]])
