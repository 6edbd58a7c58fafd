import pytest

from tinhso.receipts.words import amount_in_words, number_in_words


@pytest.mark.parametrize("n,words", [
    (0, "không"), (5, "năm"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"), (24, "hai mươi tư"),
    (25, "hai mươi lăm"), (105, "một trăm linh năm"), (110, "một trăm mười"), (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"), (50000, "năm mươi nghìn"), (75000, "bảy mươi lăm nghìn"),
    (100000, "một trăm nghìn"), (1250000, "một triệu hai trăm năm mươi nghìn"),
    (1005000, "một triệu không trăm linh năm nghìn"), (2000000000, "hai tỷ"),
    (1000001, "một triệu không trăm linh một"), (3021500, "ba triệu không trăm hai mươi mốt nghìn năm trăm"),
])
def test_numbers_read_as_on_vietnamese_receipts(n, words):
    assert number_in_words(n) == words


def test_amount_has_a_capital_and_the_currency():
    assert amount_in_words(50000) == "Năm mươi nghìn đồng"
    assert amount_in_words(0) == "Không đồng"
