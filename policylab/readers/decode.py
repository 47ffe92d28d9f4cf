"""Decoding the bytes of a text notice (``.txt``, ``.md``, ``.html``) into a string.

Order of decisions:

1. A byte-order mark decides: UTF-32 (LE/BE), UTF-16 (LE/BE), UTF-8.
2. Without a BOM, the pattern of NUL bytes tells UTF-16/UTF-32 from other text
   (ASCII letters in UTF-16LE leave every second byte zero).
3. Known binary signatures (PDF, ZIP/Office, images) and files full of NULs or
   control characters are refused with a message that says what to do.
4. UTF-8; otherwise Windows-1252 (Norwegian notices that are not UTF-8 almost
   always are), or ISO-8859-15 when the bytes hold no Windows-1252-only
   character (0x80-0x9F) but the euro sign 0xA4; charset-normalizer decides
   only where neither decodes.
5. A few stray NUL bytes in otherwise good text are removed, with a note.
6. Classic mojibake (``Ã¦`` for ``æ``) is repaired with ftfy; newlines are
   normalised to ``\\n``.

Examples
--------
>>> decode_bytes("Pris: 100 €".encode("iso-8859-15")).text
'Pris: 100 €'
>>> decode_bytes("Innsyn".encode("utf-16-le")).encoding
'utf-16-le'
"""

from __future__ import annotations

import re

from .types import NoticeError, Reading

__all__ = ["BINARY_SIGNATURES", "decode_bytes"]

# Magic numbers of formats that are certainly not text.
BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip",
    b"\xd0\xcf\x11\xe0": "MS Office (OLE)",
}
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
# Mojibake of Norwegian letters and common punctuation when UTF-8 was read as
# Windows-1252: æ ø å Æ Ø Å é « » – ’ “.
_MOJIBAKE_RE = re.compile("Ã[¦¸¥†˜…©]|Ã\u0098|Ã\u0085|Â[«»]|â€[“”™œ\u009d]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f]")
#: Share of NUL bytes up to which they count as stray bytes in good text.
STRAY_NUL_SHARE = 0.01


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> Reading:
    """Decode the bytes of a text notice, repairing Windows-1252 and mojibake.

    Raises :class:`NoticeError` for empty or binary input.

    >>> decode_bytes("Personvernerklæring".encode("cp1252")).text
    'Personvernerklæring'
    >>> decode_bytes("PersonvernerklÃ¦ring".encode("utf-8")).text
    'Personvernerklæring'
    """
    notes: list[str] = []
    text, encoding = _decode_unicode(data)
    if text is None:
        if not data.strip():
            raise NoticeError(name, "the file is empty: add the notice's text or remove the file")
        for magic, kind in BINARY_SIGNATURES.items():
            if data.startswith(magic):
                raise NoticeError(name, f"this is a binary file ({kind}), not text: convert it to .txt or .html first")
        nuls = data.count(b"\x00")
        if nuls:
            if nuls > max(1, len(data) * STRAY_NUL_SHARE):
                raise NoticeError(name, "the file holds NUL bytes (binary, or UTF-16 we could not decode): save it as UTF-8 text")
            data = data.replace(b"\x00", b"")
            notes.append(f"removed {nuls} stray NUL byte{'s' if nuls > 1 else ''}")
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
            notes.append(f"not UTF-8: decoded as {encoding}")
    elif encoding not in ("utf-8", "utf-8-sig"):
        notes.append(f"not UTF-8: decoded as {encoding}")
    if not text.strip():
        raise NoticeError(name, "the file is empty: add the notice's text or remove the file")
    if _MOJIBAKE_RE.search(text):
        import ftfy

        repaired = ftfy.fix_encoding(text)
        if repaired != text:
            notes.append("repaired mojibake (UTF-8 read as Windows-1252)")
            text = repaired
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _control_share(text) > 0.01:
        raise NoticeError(name, "the file looks binary (many control characters): convert it to text")
    return Reading(text=text, encoding=encoding, notes=tuple(notes))


def _decode_unicode(data: bytes) -> tuple[str | None, str]:
    """Text and encoding of UTF-8/16/32 with a BOM, or of UTF-16/32 told by its NULs."""
    for bom, encoding, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), encoding
            except UnicodeDecodeError:
                break
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None, ""
    # Zero bytes by position: UTF-32LE text leaves positions 1-3 zero, UTF-16LE position 1.
    zeros = [sample[i::4].count(0) / max(1, len(sample[i::4])) for i in range(4)]
    candidates = []
    if zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] > 0.9:
        candidates.append("utf-32-le")
    if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[2] > 0.9:
        candidates.append("utf-32-be")
    odd = (zeros[1] + zeros[3]) / 2
    even = (zeros[0] + zeros[2]) / 2
    if odd > 0.5 and even < 0.1:
        candidates.append("utf-16-le")
    if even > 0.5 and odd < 0.1:
        candidates.append("utf-16-be")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_share(text) <= 0.01:
            return text, encoding
    return None, ""


def _decode_legacy(data: bytes) -> tuple[str, str]:
    # Norwegian notices that are not UTF-8 are almost always Windows-1252; a
    # detector guesses wrong on short texts (mac_roman, say), so it only decides
    # when Windows-1252 cannot decode the bytes. Without any byte that only
    # Windows-1252 uses (0x80-0x9F), 0xA4 is ISO-8859-15's euro sign, not '¤'.
    if b"\xa4" in data and not re.search(rb"[\x80-\x9f]", data):
        return data.decode("iso8859-15"), "iso8859-15"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    # Latin-1 decodes every byte, so nothing is lost.
    return data.decode("latin-1"), "latin-1"


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_RE.findall(text)) / len(text)
