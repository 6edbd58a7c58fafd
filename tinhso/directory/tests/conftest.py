import pytest

from tinhso.testing import make_agency, make_staff


@pytest.fixture
def org(agency):
    """A department with a leader, a clerical office and a specialist; a
    second department with its own leader; the IT administrator."""
    root = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", unit=agency.unit, kind="people_committee")
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=root, short_name="SXD")
    stp = make_agency("000.00.10.H13", "Sở Tư pháp", parent=root, short_name="STP")

    class Org:
        pass

    o = Org()
    o.root, o.sxd, o.stp = root, sxd, stp
    o.admin = make_staff("quantri", roles=[("system_admin", root)], full_name="Quản trị CNTT")
    o.leader = make_staff("lanhdao.sxd", roles=[("leader", sxd)], full_name="Võ Quốc Dũng")
    o.office = make_staff("vanthu.sxd", roles=[("clerical_office", sxd)], full_name="Huỳnh Thị Mai")
    o.specialist = make_staff("chuyenvien.sxd", roles=[("specialist", sxd)], full_name="Lê Hoàng Nam")
    o.specialist.job_title, o.specialist.phone = "Chuyên viên", "0909123456"
    o.specialist.save()
    o.other_leader = make_staff("lanhdao.stp", roles=[("leader", stp)], full_name="Ngô Thanh Hà")
    o.other_office = make_staff("vanthu.stp", roles=[("clerical_office", stp)], full_name="Văn thư STP")
    return o
