import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> bytes:
    """An SVG QR code: crisp at any size on the staff phone's screen, no raster work."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode").encode()
