"""A photo of another phone's screen: what a victim sends when the payment was made on
a relative's phone or the screenshot cannot be forwarded.

The screen sits inside a black bezel on a desk, seen slightly from the side
(perspective), turned a few degrees, a little out of focus, lit unevenly, with sensor
noise, then recompressed as a messaging app does.
"""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from tests.screens.render import recompress

_WORK_SCALE = 1.25


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination for the 8x8 system of a perspective transform."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(size):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def perspective_coefficients(
    target: list[tuple[float, float]], source: list[tuple[float, float]]
) -> list[float]:
    """Coefficients Pillow's PERSPECTIVE transform needs to map `target` corners to `source`."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector += [u, v]
    return _solve(matrix, vector)


def _on_desk(screen: Image.Image, rng: random.Random) -> Image.Image:
    bezel = round(screen.width * 0.05)
    desk = tuple(rng.randint(90, 200) for _ in range(3))
    margin = round(screen.width * 0.12)
    canvas = Image.new(
        "RGB", (screen.width + 2 * (bezel + margin), screen.height + 2 * (bezel + margin)), desk
    )
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle(
        (margin, margin, canvas.width - margin, canvas.height - margin),
        radius=bezel * 2,
        fill=(12, 12, 14),
    )
    canvas.paste(screen, (margin + bezel, margin + bezel))
    return canvas


def _tilt(image: Image.Image, rng: random.Random) -> Image.Image:
    w, h = image.size
    jitter = 0.035

    def corner(x: float, y: float) -> tuple[float, float]:
        return (x + rng.uniform(-jitter, jitter) * w, y + rng.uniform(-jitter, jitter) * h)

    source = [corner(0, 0), corner(w, 0), corner(w, h), corner(0, h)]
    target = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    coefficients = perspective_coefficients(target, source)
    fill = image.getpixel((2, 2))
    tilted = image.transform(
        (w, h), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC, fillcolor=fill
    )
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 5.0)
    return tilted.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def _uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    """Darker towards one side and a soft glare somewhere: a window or a lamp."""
    w, h = image.size
    gradient = Image.linear_gradient("L").resize((w, h))
    if rng.random() < 0.5:
        gradient = gradient.rotate(90, expand=False).resize((w, h))
    low = rng.randint(150, 200)
    shade = gradient.point(lambda v: low + (255 - low) * v // 255).convert("RGB")
    lit = ImageChops.multiply(image, shade)
    small = (max(1, w // 8), max(1, h // 8))
    glare = Image.new("L", small, 0)
    cx, cy, r = rng.randint(0, small[0]), rng.randint(0, small[1]), rng.randint(w // 48, w // 24)
    ImageDraw.Draw(glare).ellipse((cx - r, cy - r, cx + r, cy + r), fill=rng.randint(25, 60))
    glare = glare.filter(ImageFilter.GaussianBlur(r / 2)).resize((w, h), Image.Resampling.BILINEAR)
    return ImageChops.add(lit, Image.merge("RGB", (glare, glare, glare)))


def _noise(image: Image.Image, rng: random.Random) -> Image.Image:
    """Sensor grain from the seeded generator (Pillow's own noise is not seedable)."""
    amplitude = rng.randint(14, 30)
    grain = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    grain = grain.point(lambda v: v * amplitude // 255).convert("RGB")
    offset = Image.new("RGB", image.size, (amplitude // 2,) * 3)
    return ImageChops.subtract(ImageChops.add(image, grain), offset)


def photograph(screen: Image.Image, rng: random.Random) -> Image.Image:
    """Turn a clean screenshot into the photo another phone's camera would take."""
    longest = rng.choice((1600, 2000))
    # Drawn a quarter larger than it is sent (the desk, bezel and tilt add ~20% to the
    # height), so the blur and the final downscale soften it as a camera and WhatsApp do.
    height = round(_WORK_SCALE * longest / 1.2)
    screen = screen.resize(
        (round(screen.width * height / screen.height), height), Image.Resampling.LANCZOS
    )
    image = _tilt(_on_desk(screen, rng), rng)
    image = _uneven_light(image, rng)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1) * _WORK_SCALE))
    image = _noise(image, rng)
    return recompress(image, rng, longest=longest)
