"""Small real documents for tests, written with the same libraries users' files come from."""

from __future__ import annotations

from pathlib import Path

# A Lin-gang notice with numbered articles that the plan does not contain (title, issuer and date
# in its own text, no sidecar): the related-documents tests upload or ingest it.
DRONE_NOTICE = """# Lin-gang Special Area Measures for Supporting Low-Altitude Drone Delivery

Issued by: Lin-gang Special Area Administrative Committee

Date: 2025-03-01

Article 1 These Measures are formulated to develop the low-altitude economy and drone logistics in the Special Area.

Article 2 These Measures apply to enterprises registered in the Special Area that operate drone delivery services.

Article 3 A drone delivery operator that opens a new regular delivery route receives a one-off subsidy of up to \
500,000 yuan per route.

Article 4 Applications are submitted to the Administrative Committee between March and May each year, with the \
route approval and flight records.

Article 5 These Measures take effect on 1 April 2025 and are valid for three years.
"""


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A minimal, valid one-page PDF whose text pypdf can extract (Helvetica, one line per entry)."""
    return write_pdf_pages(path, [lines])


def write_pdf_pages(path: Path, pages: list[list[str]]) -> Path:
    """A minimal, valid PDF with one page per list of lines (a raw PDF: no library needed to make it)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        stream = (
            "BT /F1 11 Tf 50 780 Td 14 TL "
            + " ".join(
                "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines
            )
            + " ET"
        )
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents {len(objects)} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def write_docx(path: Path, heading: str, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def write_encrypted_pdf(path: Path, password: str = "secret") -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=842)
    writer.encrypt(user_password=password, owner_password=password)
    with path.open("wb") as handle:
        writer.write(handle)
    return path
