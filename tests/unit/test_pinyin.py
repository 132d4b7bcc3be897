from branchdesk.domain.pinyin import initials


def test_initials_of_common_names() -> None:
    assert initials("张三丰") == "zsf"
    assert initials("欧阳明") == "oym"
    assert initials("王建国") == "wjg"


def test_surnames_read_as_surnames() -> None:
    assert initials("曾国藩") == "zgf"
    assert initials("单田芳") == "stf"
    assert initials("解缙") == "xj"
    assert initials("曾经") == "zj"  # only the first character is read as a surname
