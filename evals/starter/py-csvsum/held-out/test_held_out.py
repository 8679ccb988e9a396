import unittest

import sheet


class HeldOut(unittest.TestCase):
    def test_blanks_and_unknown_columns(self):
        self.assertEqual(sheet.sum_column("a,b\n1,\n2, 3 \n", "b"), 3)
        self.assertEqual(sheet.sum_column("a\n", "a"), 0)
        with self.assertRaises(KeyError):
            sheet.sum_column("a\n1\n", "b")
