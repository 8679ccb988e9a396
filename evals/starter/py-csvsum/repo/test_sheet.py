import unittest

import sheet


class SheetTest(unittest.TestCase):
    def test_sum_of_a_column(self):
        self.assertEqual(sheet.sum_column("item,cents\nbread,250\nmilk,99\n", "cents"), 349)
