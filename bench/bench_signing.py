"""Benchmark signing a dossier result against a bare pyHanko `sign_pdf`.

A result is issued signed twice (tinhso/dossiers/signing.py): the leader's
personal signature, then the competent agency's seal, both visible on page 1
(the Decree 30/2020 stamps: image, name, agency, signing time). The figure is
signed result PDFs per second through that very code path
(`dossiers.signing.sign_uploads` -> `signatures.service.sign_pdf`), with the
demo PKI's keys (PKCS#12 in the database) of a real leader and agency of the
demo province.

Baseline, in the same run, on the same input file: pyHanko's
`signers.sign_pdf` called twice (the same two keys, the same order, SHA-256,
PAdES subfilter) into an invisible signature field, with the signers built
beforehand (keys already loaded) — what signing costs with no appearance and
none of our bookkeeping.

For information, a third timing: the same bare `sign_pdf`, but with the
signer our code uses (`service._simple_signer`: the key object loaded once;
pyHanko's SimpleSigner re-parses the DER key on every signature, twice per
signature with its size-estimating dry run). `overhead_vs_same_signer` is
then what the visible stamps and our bookkeeping cost on their own.

Time-stamping is off in all three (TINHSO_TSA_URL=off; signatures are PAdES B-B):
with a TSA each signature adds one RFC 3161 round trip, a network figure that
is not ours to measure here.

The input is a realistic two-page result document (a decision in Vietnamese
with an embedded DejaVu Sans subset, both pages full of text, ~48 KB), made
with ReportLab like the demo results. Timings are the best of --repeat runs
of --n PDFs each, ours and the baselines alternating, after one warm-up run
of each (the warm-up issues the demo credentials and appearance images if
they are missing). The output of both is checked: ours must verify (`service.verify_pdf`: verdict
"valid", the leader's then the seal's signature, the seal's covering the
whole file), the baseline's must verify with two signatures; ok=false
otherwise.

    .venv/bin/python bench/bench_signing.py [--n 30] [--repeat 3] [--database tinhso_bench] [--json PATH]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bootstrap, figure, log, write_json  # noqa: E402

TARGET_OVERHEAD = 1.3          # ours may take at most 1.3x the bare pyHanko time
LEADER = "lanhdao.stp"         # Phó Giám đốc Sở Tư pháp
AGENCY = "000.00.10.H13"       # Sở Tư pháp thành phố Cần Thơ

BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
    "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019; căn cứ Nghị "
    "định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên "
    "thông trong giải quyết thủ tục hành chính; căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 "
    "của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử; xét đề nghị của người nộp hồ sơ "
    "và kết quả thẩm định của phòng chuyên môn, hồ sơ đầy đủ thành phần và hợp lệ theo quy định. "
)


def result_pdf(pages: int = 2) -> bytes:
    """A two-page result (decision) in Vietnamese, DejaVu Sans embedded."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    from tinhso.dossiers.documents.fonts import register

    font = register()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    for page in range(pages):
        y = height - 72
        if page == 0:
            c.setFont(font, 12)
            c.drawCentredString(width / 2, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
            c.drawCentredString(width / 2, y - 16, "Độc lập - Tự do - Hạnh phúc")
            c.setFont(font + "-Bold", 14)
            c.drawCentredString(width / 2, y - 60, "QUYẾT ĐỊNH")
            c.setFont(font, 11)
            c.drawCentredString(width / 2, y - 78, "Số: 215/QĐ-STP (bản mẫu dữ liệu thử nghiệm)")
            y -= 110
        c.setFont(font, 11)
        for line in simpleSplit(BODY * 6, font, 11, width - 144):
            if y < 200:  # leave the signature block free
                break
            c.drawString(72, y, line)
            y -= 15
        c.drawRightString(width - 72, 40, f"Trang {page + 1}/{pages}")
        c.showPage()
    c.save()
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30, help="PDFs signed per timed run")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each (the best is kept)")
    ap.add_argument("--database", default="tinhso_bench")
    ap.add_argument("--json")
    ap.add_argument("--profile", help="write a cProfile of one run of ours to this file and print the top")
    args = ap.parse_args()

    bootstrap(args.database, TINHSO_TSA_URL="off", TINHSO_PKI_DEMO="1")

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from tinhso.agencies.models import Agency
    from tinhso.dossiers.signing import sign_uploads
    from tinhso.signatures import pki, service, tsa

    assert tsa.timestamper() is None, "TINHSO_TSA_URL=off expected"
    agency = Agency.objects.get(code=AGENCY)
    leader = get_user_model().objects.get(username=LEADER)
    # sign_uploads reads only these of the dossier
    dossier = SimpleNamespace(code="H13.10-250101-0001", competent_agency=agency,
                              case=SimpleNamespace(digital_signature_required=True))
    pdf = result_pdf()
    name = "215-QD-STP.pdf"

    def ours_once() -> bytes:
        upload = SimpleUploadedFile(name, pdf, content_type="application/pdf")
        return sign_uploads(dossier, [upload], signer=leader)[0].read()

    # the same keys, loaded once, for the baseline
    ours_once()  # issues the demo credentials and appearance images when missing
    loaded = [pki.load(pki.credential_for_user(leader)), pki.load(pki.credential_for_agency(agency))]
    stock = [signers.SimpleSigner(signing_cert=c.asn1_cert, signing_key=c.asn1_key,
                                  cert_registry=SimpleCertificateStore.from_certs(c.asn1_chain)) for c in loaded]
    same = [service._simple_signer(c) for c in loaded]

    def bare_once(signer_pair=stock) -> bytes:
        data = pdf
        for field, signer in zip(("ChuKyCaNhan", "ChuKyCoQuan"), signer_pair):
            meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                                subfilter=fields.SigSeedSubFilter.PADES)
            out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), meta, signer=signer)
            data = out.getvalue()
        return data

    def timed(fn) -> tuple[float, bytes]:
        t0 = time.perf_counter()
        for _ in range(args.n):
            out = fn()
        return (time.perf_counter() - t0) / args.n, out

    def same_once() -> bytes:
        return bare_once(same)

    bare_once()
    same_once()
    ours_best = bare_best = same_best = float("inf")
    ours_out = bare_out = b""
    for _ in range(args.repeat):
        t, ours_out = timed(ours_once)
        ours_best = min(ours_best, t)
        t, bare_out = timed(bare_once)
        bare_best = min(bare_best, t)
        t, _out = timed(same_once)
        same_best = min(same_best, t)
        log(f"[signing] ours {t_fmt(ours_best)}, bare pyHanko {t_fmt(bare_best)}, pyHanko with our signer "
            f"{t_fmt(same_best)} per PDF (best so far)")

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.n):
            ours_once()
        prof.disable()
        prof.dump_stats(args.profile)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)

    report = service.verify_pdf(ours_out)
    sigs = report["signatures"]
    ours_ok = (report["verdict"] == "valid" and len(sigs) == 2 and sigs[-1]["covers_whole_file"]
               and [s["field"] for s in sigs] == ["ChuKyCaNhan", "ChuKyCoQuan"])
    bare_report = service.verify_pdf(bare_out)
    bare_ok = bare_report["signature_count"] == 2 and bare_report["verdict"] == "valid"
    if not ours_ok:
        log(f"[signing] our output does not verify: {report}")
    if not bare_ok:
        log(f"[signing] baseline output does not verify: {bare_report['verdict']}")

    overhead = ours_best / bare_best
    rows = [figure("signed results (leader + seal, visible), TSA off", "PDFs/s", 1 / ours_best, 1 / bare_best,
                   target_ratio=round(1 / TARGET_OVERHEAD, 3), overhead=round(overhead, 3),
                   target=f"overhead <= {TARGET_OVERHEAD}x", ms_per_pdf=round(ours_best * 1000, 2),
                   baseline_ms_per_pdf=round(bare_best * 1000, 2),
                   same_signer_ms_per_pdf=round(same_best * 1000, 2),
                   overhead_vs_same_signer=round(ours_best / same_best, 3), signatures_per_pdf=2,
                   input_bytes=len(pdf), output_bytes=len(ours_out), baseline_output_bytes=len(bare_out),
                   verified=report["verdict"])]
    result = {"benchmark": "signing", "figures": rows, "ok": ours_ok and bare_ok,
              "n": args.n, "repeat": args.repeat, "timestamp": "off"}
    write_json(args.json, result)
    for row in rows:
        log(f"[signing] {row['figure']}: {row['value']} {row['unit']} vs bare pyHanko {row['baseline']} "
            f"(overhead {row['overhead']}x, target met: {row['target_met']}); with our signer and no stamps "
            f"{row['same_signer_ms_per_pdf']} ms/PDF (x{row['overhead_vs_same_signer']}); verify: {report['verdict']}")
    return 0 if result["ok"] else 1


def t_fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
