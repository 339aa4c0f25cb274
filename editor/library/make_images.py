"""Draw the library's images (gradients, shapes, big text) into editor/static/editor/library/.

Run `python editor/library/make_images.py` after changing a drawing; commit the JPEG files.
Everything is drawn here, so the images carry no third-party rights.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUTPUT = Path(__file__).resolve().parent.parent / "static" / "editor" / "library"
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def font(size):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def gradient(size, top, bottom):
    """A vertical gradient from colour `top` to colour `bottom`."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(size)


def centred_text(draw, box, text, size, fill):
    left, top, right, bottom = box
    face = font(size)
    x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=face)
    x = left + (right - left - (x1 - x0)) / 2 - x0
    y = top + (bottom - top - (y1 - y0)) / 2 - y0
    draw.text((x, y), text, font=face, fill=fill)


def flash_sale(words, discount):
    image = gradient((1440, 720), (225, 29, 72), (124, 58, 237)).convert("RGBA")
    stripes = Image.new("RGBA", image.size, (0, 0, 0, 0))
    stripe_draw = ImageDraw.Draw(stripes)
    for index in range(9):
        x = 1440 - index * 70
        stripe_draw.polygon(
            [(x, 0), (x + 40, 0), (x - 320, 720), (x - 360, 720)], fill=(255, 255, 255, 40)
        )
    image = Image.alpha_composite(image, stripes).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1440, 720), outline=(255, 214, 10), width=18)
    centred_text(draw, (0, 60, 1440, 330), words, 190, (255, 255, 255))
    centred_text(draw, (0, 330, 1440, 660), discount, 260, (255, 214, 10))
    return image


def order():
    # The parcel and the tick sit in the middle 960 px: whole in the 3:1 card and the 2:1 frame.
    image = gradient((1440, 480), (16, 185, 129), (5, 150, 105))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((330, 110, 670, 400), radius=26, fill=(254, 243, 199))
    draw.line((330, 200, 670, 200), fill=(217, 119, 6), width=14)
    draw.line((500, 110, 500, 200), fill=(217, 119, 6), width=14)
    draw.ellipse((780, 80, 1100, 400), fill=(255, 255, 255))
    draw.line([(850, 245), (920, 320), (1040, 170)], fill=(5, 150, 105), width=34, joint="curve")
    return image


def delivery():
    image = gradient((1440, 720), (59, 130, 246), (30, 64, 175))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 600, 1440, 720), fill=(55, 65, 81))
    for x in range(40, 1440, 180):
        draw.rectangle((x, 652, x + 90, 666), fill=(250, 204, 21))
    draw.rounded_rectangle((300, 300, 900, 580), radius=20, fill=(255, 255, 255))
    draw.rounded_rectangle((900, 390, 1140, 580), radius=20, fill=(226, 232, 240))
    draw.rectangle((950, 420, 1080, 490), fill=(147, 197, 253))
    for x in (420, 1000):
        draw.ellipse((x - 55, 530, x + 55, 640), fill=(31, 41, 55))
        draw.ellipse((x - 22, 563, x + 22, 607), fill=(209, 213, 219))
    draw.rounded_rectangle((480, 360, 720, 520), radius=10, fill=(251, 191, 36))
    draw.line((600, 360, 600, 520), fill=(217, 119, 6), width=12)
    return image


def back_in_stock():
    image = gradient((1440, 720), (253, 230, 138), (251, 146, 60))
    draw = ImageDraw.Draw(image)
    draw.line([(720, 120), (720, 200)], fill=(68, 64, 60), width=14)
    draw.arc((680, 60, 760, 140), start=180, end=90, fill=(68, 64, 60), width=14)
    draw.polygon([(720, 200), (430, 380), (1010, 380)], outline=(68, 64, 60), width=14)
    draw.rounded_rectangle((470, 380, 970, 660), radius=30, fill=(190, 18, 60))
    for y in range(420, 660, 60):
        draw.line((500, y, 940, y), fill=(225, 29, 72), width=16)
    draw.ellipse((1090, 90, 1330, 330), fill=(255, 255, 255))
    draw.arc((1140, 140, 1280, 280), start=30, end=330, fill=(22, 163, 74), width=22)
    draw.polygon([(1262, 130), (1300, 200), (1230, 196)], fill=(22, 163, 74))
    return image


def launch(step):
    palettes = (
        ((30, 27, 75), (99, 102, 241)),
        ((76, 29, 149), (236, 72, 153)),
        ((12, 74, 110), (45, 212, 191)),
    )
    top, bottom = palettes[step]
    image = gradient((928, 672), top, bottom)
    draw = ImageDraw.Draw(image)
    centre = (464, 300)
    for ring in range(5, 0, -1):
        radius = 50 + ring * 38
        shade = tuple(min(255, c + ring * 18) for c in bottom)
        draw.ellipse(
            (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
            outline=shade,
            width=6,
        )
    draw.ellipse((384, 220, 544, 380), fill=(254, 240, 138))
    draw.rectangle((444, 380, 484, 560), fill=(255, 255, 255))
    draw.rounded_rectangle((364, 560, 564, 600), radius=14, fill=(255, 255, 255))
    centred_text(draw, (0, 20, 928, 120), f"0{step + 1}", 70, (255, 255, 255))
    return image


def cart():
    image = gradient((1440, 720), (244, 114, 182), (190, 24, 93))
    draw = ImageDraw.Draw(image)
    draw.arc((590, 110, 850, 370), start=180, end=360, fill=(255, 255, 255), width=26)
    draw.rounded_rectangle((480, 240, 960, 640), radius=36, fill=(255, 255, 255))
    draw.rounded_rectangle((560, 330, 880, 400), radius=20, fill=(251, 207, 232))
    draw.ellipse((1080, 120, 1260, 300), fill=(250, 204, 21))
    centred_text(draw, (1080, 120, 1260, 300), "1", 110, (131, 24, 67))
    return image


def reengagement():
    # Drawn for the library card's 2:1 frame and a 3:1 cut alike: everything sits between
    # y = 150 and 570, inside both.
    image = gradient((1440, 720), (14, 165, 233), (79, 70, 229))
    draw = ImageDraw.Draw(image)
    centred_text(draw, (120, 180, 800, 540), "-15 %", 190, (255, 255, 255))
    draw.ellipse((860, 170, 1070, 380), fill=(255, 255, 255))
    draw.ellipse((1030, 170, 1240, 380), fill=(255, 255, 255))
    draw.polygon([(876, 320), (1224, 320), (1050, 560)], fill=(255, 255, 255))
    return image


def appointment():
    # The calendar and the clock both sit in the middle 960 px, so the 3:1 card image and the
    # library card's 2:1 frame show them whole.
    image = gradient((1440, 480), (139, 92, 246), (91, 33, 182))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((400, 70, 760, 420), radius=30, fill=(255, 255, 255))
    draw.rounded_rectangle((400, 70, 760, 160), radius=30, fill=(239, 68, 68))
    draw.rectangle((400, 130, 760, 160), fill=(239, 68, 68))
    for x in (480, 680):
        draw.rounded_rectangle((x - 12, 40, x + 12, 110), radius=10, fill=(31, 41, 55))
    centred_text(draw, (400, 160, 760, 420), "12", 170, (31, 41, 55))
    draw.ellipse((840, 140, 1040, 340), outline=(255, 255, 255), width=18)
    draw.line([(940, 240), (940, 175)], fill=(255, 255, 255), width=16)
    draw.line([(940, 240), (990, 270)], fill=(255, 255, 255), width=16)
    return image


def brand_logo():
    """The demo brand's monogram (224 x 224, the RBM logo size)."""
    image = gradient((224, 224), (20, 184, 166), (15, 118, 110))
    draw = ImageDraw.Draw(image)
    centred_text(draw, (0, 0, 224, 224), "MR", 96, (255, 255, 255))
    return image


IMAGES = {
    "demo_brand_logo.jpg": brand_logo,
    "flash_sale_fr.jpg": lambda: flash_sale("SOLDES", "-40 %"),
    "flash_sale_en.jpg": lambda: flash_sale("SALE", "-40%"),
    "order.jpg": order,
    "delivery.jpg": delivery,
    "back_in_stock.jpg": back_in_stock,
    "launch_1.jpg": lambda: launch(0),
    "launch_2.jpg": lambda: launch(1),
    "launch_3.jpg": lambda: launch(2),
    "cart.jpg": cart,
    "reengagement.jpg": reengagement,
    "appointment.jpg": appointment,
}


def main():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, draw in IMAGES.items():
        path = OUTPUT / name
        draw().save(path, "JPEG", quality=80, optimize=True, progressive=True)
        total += path.stat().st_size
        print(f"{name:<22} {path.stat().st_size:>7} bytes")
    print(f"total {total} bytes")


if __name__ == "__main__":
    main()
