import unittest

import roman


class HeldOut(unittest.TestCase):
    def test_round_trip_and_limits(self):
        self.assertEqual(roman.to_roman(1994), "MCMXCIV")
        self.assertEqual(roman.to_roman(3999), "MMMCMXCIX")
        for n in range(1, 400):
            self.assertEqual(roman.from_roman(roman.to_roman(n)), n)
        with self.assertRaises(ValueError):
            roman.to_roman(0)
        with self.assertRaises(ValueError):
            roman.to_roman(4000)
