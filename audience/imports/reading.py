"""Open a customer file whatever made it: detect its encoding (charset-normalizer) and its
delimiter (csv.Sniffer), refuse at once what is not a CSV, and stream its rows."""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from django.conf import settings
from django.utils.translation import gettext as _

# Enough to see the header, a preview and the file's bytes of other encodings.
SAMPLE_BYTES = 256 * 1024
PREVIEW_ROWS = 5
DELIMITERS = ";,\t|"
# Excel's Latin-1 exports are really Windows-1252 (it has €, Œ, ’ where Latin-1 has controls).
WINDOWS_1252 = "cp1252"
# The encodings French customer files come in; detection picks among these only.
CANDIDATES = ["utf_8", WINDOWS_1252, "utf_16"]
# How the start of a file names what it really is, for a clear refusal.
SIGNATURES = {
    b"PK\x03\x04": "xlsx",
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"GIF8": "image",
}


def max_bytes():
    """The largest file an import accepts (CONTACT_IMPORT_MAX_MB, default 200 MB)."""
    return getattr(settings, "CONTACT_IMPORT_MAX_MB", 200) * 1024 * 1024


class FileRefused(ValueError):
    """The file cannot be imported; the message says what to fix."""


def _utf8_or_1252(error):
    """Decode an invalid UTF-8 sequence as Windows-1252: a file detected as UTF-8 from its
    first bytes may hold a few Excel-encoded accents further down."""
    bad = error.object[error.start : error.end]
    return bad.decode(WINDOWS_1252, errors="replace"), error.end


codecs.register_error("relais_utf8_or_1252", _utf8_or_1252)


@dataclass
class FileShape:
    """What detection found: the encoding, the delimiter, the header and the first rows."""

    encoding: str
    delimiter: str
    headers: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    # Lines before the data: the header, and Excel's "sep=" line when there is one.
    skip: int = 1


def detect_encoding(sample):
    """The encoding of a file from its first bytes: UTF-8 (with or without BOM), Windows-1252
    or UTF-16 (with its BOM)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    best = from_bytes(sample, cp_isolation=CANDIDATES).best()
    if best is None or best.encoding not in ("utf_8", "ascii"):
        # charset-normalizer names cp1252 and its Latin-1 subset alike for a French file.
        return WINDOWS_1252 if best is not None else "utf-8"
    return "utf-8"


def errors_for(encoding):
    return "relais_utf8_or_1252" if encoding == "utf-8" else "strict"


def detect_delimiter(text):
    """The delimiter of the CSV text, among ; , tab and |."""
    lines = text.splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or rows too uneven for the sniffer: the header decides.
        header = lines[0] if lines else ""
        counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def refuse_non_csv(sample):
    """Raise FileRefused when the bytes are not a text file (a workbook, a PDF, an image)."""
    for signature, kind in SIGNATURES.items():
        if sample.startswith(signature):
            if kind in ("xlsx", "xls"):
                raise FileRefused(
                    _(
                        "This is an Excel workbook, not a CSV file. In Excel, choose File > "
                        "Save as > “CSV UTF-8 (comma delimited)” and upload that file."
                    )
                )
            raise FileRefused(
                _(
                    "This file is not a CSV file (it looks like a %(kind)s). "
                    "Export your contacts as CSV."
                )
                % {"kind": {"pdf": "PDF", "image": _("picture")}[kind]}
            )
    is_utf16 = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in sample[:4096] and not is_utf16:
        raise FileRefused(
            _("This file is not a CSV file: it holds binary data. Export your contacts as CSV.")
        )


def inspect(binary, size):
    """The shape of a file opened in binary mode (its size given), or FileRefused saying what
    to fix: too big, empty, not a CSV, no contact row."""
    if size > max_bytes():
        raise FileRefused(
            _("The file is too big (%(size)d MB; at most %(max)d MB). Split it into smaller files.")
            % {"size": size // (1024 * 1024), "max": max_bytes() // (1024 * 1024)}
        )
    sample = binary.read(SAMPLE_BYTES)
    binary.seek(0)
    if not sample.strip():
        raise FileRefused(_("The file is empty. Choose the file that holds your contacts."))
    refuse_non_csv(sample)
    encoding = detect_encoding(sample)
    text = _decode_sample(sample, encoding)
    # Some exports start with Excel's "sep=;" line, which names the delimiter.
    sep_line = re.match(r"sep=(.)\r?\n", text, re.IGNORECASE)
    if sep_line:
        text = text[sep_line.end() :]
    delimiter = sep_line.group(1) if sep_line else detect_delimiter(text)
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = [cell.strip() for cell in next(rows, [])]
    preview = []
    for row in rows:
        if any(cell.strip() for cell in row):
            preview.append(row)
        if len(preview) == PREVIEW_ROWS:
            break
    if not any(headers):
        raise FileRefused(_("The first line of the file is empty: it must name the columns."))
    if not preview:
        raise FileRefused(
            _("The file has a header line but no contact under it. Check you exported the rows.")
        )
    return FileShape(encoding, delimiter, headers, preview, skip=2 if sep_line else 1)


def _decode_sample(sample, encoding):
    # The sample may end in the middle of a character: decode what is complete.
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors_for(encoding))
    text = decoder.decode(sample, final=False)
    if len(sample) == SAMPLE_BYTES:
        # The last line may be cut: leave it out of the sniffing.
        text = text[: text.rfind("\n") + 1] or text
    return text


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it (the import's progress)."""

    def __init__(self, binary):
        self.binary = binary
        self.count = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.binary.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def stream_rows(binary, shape):
    """(counter, rows): the file's data rows as lists of cells, numbered from line 2 (the
    header is line 1), decoded and split as the shape says; counter.count is the bytes read."""
    counter = CountingReader(binary)
    text = io.TextIOWrapper(
        io.BufferedReader(counter, buffer_size=1024 * 1024),
        encoding=shape.encoding,
        errors=errors_for(shape.encoding),
        newline="",
    )
    reader = csv.reader(text, delimiter=shape.delimiter)
    for _line in range(shape.skip):
        next(reader, None)

    def rows():
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row

    return counter, rows()
