"""Draw the PWA icons (a white map pin on the theme blue) with Pillow.

    python frontend_static/common/icons/make_icons.py

Writes icon-192.png, icon-512.png (rounded square, transparent corners) and
icon-maskable-512.png (full-bleed background, pin inside the 80 % safe zone)
next to this file. Pure geometry, no font: the output is the same everywhere.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
THEME = (11, 92, 173, 255)  # #0b5cad, PWA_APP_THEME_COLOR
WHITE = (255, 255, 255, 255)
ACCENT = (255, 196, 0, 255)  # the "shop" dot: warm yellow, high contrast on blue
SUPERSAMPLE = 4


def draw_pin(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    """A map pin: a circle of radius r centred at (cx, cy) with a point below it."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    # The point: a triangle from the circle's sides down to the tip.
    tip_y = cy + r * 2.25
    draw.polygon([(cx - r * 0.87, cy + r * 0.5), (cx + r * 0.87, cy + r * 0.5), (cx, tip_y)], fill=WHITE)
    inner = r * 0.45
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), fill=ACCENT)
    # A ground line under the tip: the pin "stands" on a street.
    bar_h = r * 0.22
    draw.rounded_rectangle(
        (cx - r * 1.25, tip_y + r * 0.25, cx + r * 1.25, tip_y + r * 0.25 + bar_h), radius=bar_h / 2, fill=WHITE
    )


def make(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Launchers crop to any shape inside the full square: fill it all and
        # keep the pin within the central 80 % circle.
        draw.rectangle((0, 0, big, big), fill=THEME)
        r = big * 0.14
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=THEME)
        r = big * 0.18
    # The pin's total height is about 3.7 r; centre it vertically.
    cy = big / 2 - r * 0.95
    draw_pin(draw, big / 2, cy, r)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    outputs = {
        "icon-192.png": make(192, maskable=False),
        "icon-512.png": make(512, maskable=False),
        "icon-maskable-512.png": make(512, maskable=True),
    }
    for name, image in outputs.items():
        image.save(HERE / name, optimize=True)
        print(f"wrote {HERE / name} ({image.width}x{image.height})")


if __name__ == "__main__":
    main()
