import unittest

from intervals import merge


class HeldOut(unittest.TestCase):
    def test_more(self):
        self.assertEqual(merge([[5, 6], [1, 2], [2, 4], [7, 9], [8, 8]]), [[1, 4], [5, 6], [7, 9]])
        self.assertEqual(merge([]), [])
        original = [[1, 3], [2, 4]]
        merge(original)
        self.assertEqual(original, [[1, 3], [2, 4]])
