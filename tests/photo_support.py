"""Photo files for the image tests: a PNG bomb built without holding its pixels, phone-like
JPEGs carrying every kind of metadata, and a reader for a JPEG's segments."""

import functools
import io
import struct
import zlib

from PIL import Image, ImageCms

MAKE, MODEL, ARTIST = "PhoneMakerCo", "Model-X-Pro-9", "Zhang-Photographer"
XMP_GPS = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/">'
    "<exif:GPSLatitude>31,7.2N</exif:GPSLatitude><exif:GPSLongitude>121,25.2E</exif:GPSLongitude>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_bomb(side: int = 7745) -> bytes:
    """A valid side × side RGBA PNG of zeros (7,745² → ~233 KB, 240 MB decoded), compressed
    row by row so that building it never holds the pixels."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + side * 4)  # filter byte + RGBA
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _iptc_app13(byline: str) -> bytes:
    """An APP13 "Photoshop 3.0" segment with an IPTC By-line (2:80)."""
    value = byline.encode()
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(value)) + value
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def phone_jpeg(
    *, size=(1200, 900), gps=True, xmp=True, camera=True, comment=True, icc=True, iptc=True, orientation=None
) -> bytes:
    """A JPEG as a phone (and its gallery apps) writes it: EXIF with camera and GPS, XMP with
    GPS of its own, an ICC profile, a comment and IPTC."""
    image = Image.new("RGB", size, (40, 120, 200))
    image.paste((220, 30, 30), (0, 0, size[0] // 4, size[1] // 4))  # a red top-left corner, to check orientation
    exif = Image.Exif()
    if camera:
        exif[0x010F], exif[0x0110], exif[0x013B] = MAKE, MODEL, ARTIST
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 7.0, 12.0), 3: "E", 4: (121.0, 25.0, 12.0)}
    if orientation:
        exif[0x0112] = orientation
    extra = {"exif": exif} if len(exif) else {}
    if xmp:
        extra["xmp"] = XMP_GPS.encode()
    if comment:
        extra["comment"] = b"shot by " + ARTIST.encode()
    if icc:
        extra["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **extra)
    data = out.getvalue()
    if iptc:
        data = data[:2] + _iptc_app13(ARTIST) + data[2:]
    return data


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the image data."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments, at = [], 2
    while at < len(data):
        assert data[at] == 0xFF
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: pixel data follows
            break
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        segments.append((marker, data[at + 4 : at + 2 + length]))
        at += 2 + length
    return segments


def assert_no_metadata(data: bytes) -> None:
    """Only JFIF's APP0 may precede the pixels: no APP1 (EXIF, XMP), APP2 (ICC), APP13 (IPTC),
    no comment; and none of the words anywhere in the file."""
    markers = [marker for marker, _ in jpeg_segments(data)]
    assert not [m for m in markers if 0xE1 <= m <= 0xEF], f"metadata segments: {[hex(m) for m in markers]}"
    assert 0xFE not in markers, "a COM segment survived"
    for needle in (b"Exif", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"ICC_PROFILE",
                   MAKE.encode(), MODEL.encode(), ARTIST.encode(), b"tEXt", b"iTXt"):
        assert needle not in data, needle
