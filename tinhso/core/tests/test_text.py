from tinhso.core.text import fold, tokens


def test_fold_removes_vietnamese_diacritics_and_d_stroke():
    assert fold("Phường Vị Thanh") == "phuong vi thanh"
    assert fold("ĐẶC KHU Côn Đảo") == "dac khu con dao"
    assert fold("  Hậu   Giang ") == "hau giang"


def test_fold_handles_decomposed_unicode_input():
    decomposed = "Vi\u0323 Thanh"  # "Vị" typed with a combining dot below
    assert fold(decomposed) == "vi thanh"


def test_tokens_keep_procedure_codes_whole():
    assert tokens("thủ tục 1.001193") == ["thu", "tuc", "1.001193"]
