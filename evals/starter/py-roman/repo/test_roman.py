import unittest

import roman


class RomanTest(unittest.TestCase):
    def test_from_roman(self):
        self.assertEqual(roman.from_roman("XIV"), 14)

    def test_to_roman(self):
        self.assertEqual(roman.to_roman(14), "XIV")
