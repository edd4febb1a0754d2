"""Draw the integration's brand icon: a white phone handset over a blue cloud.

Our own flat design (not Bulutfon's logo), drawn with Pillow only. The shapes are drawn
once on a large canvas and downsampled, which gives smooth anti-aliased edges, then saved
as small palette PNGs with a transparent background:

    custom_components/bulutfon/brand/icon.png     256 x 256
    custom_components/bulutfon/brand/icon@2x.png  512 x 512

Home Assistant (2026.3+) serves these from the integration's brand/ folder; logo.png and
the dark_ variants fall back to icon.png, and the blue cloud reads on light and dark
backgrounds alike, so no other files are needed.

Usage: .venv/bin/python scripts/make_brand.py [--out DIR] [--preview FILE]
"""

from __future__ import annotations

import argparse
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

type Point = tuple[float, float]
type Polygon = list[Point]
type Rgb = tuple[int, int, int]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "custom_components" / "bulutfon" / "brand"

CANVAS = 2048
"""The drawing canvas in pixels; every output size divides it."""

SIZES: dict[str, int] = {"icon.png": 256, "icon@2x.png": 512}

CLOUD: Rgb = (0x1F, 0x7A, 0xE8)
SHADOW: Rgb = (0x0B, 0x3F, 0x96)
HANDSET: Rgb = (0xFF, 0xFF, 0xFF)

MAX_PALETTE_ERROR = 40
"""Largest channel difference (of 255) allowed when a PNG is stored as a palette."""

ARC_STEPS = 96
"""Points per arc; plenty at the canvas size."""


def _px(value: float) -> float:
    """Design units (0..1 across the canvas) to canvas pixels."""
    return value * CANVAS


def _arc(
    center: Point,
    radius: float,
    start_deg: float,
    end_deg: float,
    steps: int = ARC_STEPS,
) -> Polygon:
    """Points along a circular arc, angles in degrees (y grows downwards)."""
    cx, cy = center
    angles = (
        math.radians(start_deg + (end_deg - start_deg) * i / steps)
        for i in range(steps + 1)
    )
    return [(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles]


def _rounded_rect(width: float, height: float, radius: float) -> Polygon:
    """A rounded rectangle centred on the origin."""
    half_w, half_h = width / 2 - radius, height / 2 - radius
    corners = (
        (half_w, half_h, 0),
        (-half_w, half_h, 90),
        (-half_w, -half_h, 180),
        (half_w, -half_h, 270),
    )
    points: Polygon = []
    for cx, cy, start in corners:
        points.extend(_arc((cx, cy), radius, start, start + 90, ARC_STEPS // 4))
    return points


def _transform(
    points: Iterable[Point], angle_deg: float, scale: float, offset: Point
) -> Polygon:
    """Rotate (counter-clockwise as seen on screen), scale, then move points."""
    cos_a, sin_a = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    ox, oy = offset
    return [
        (ox + scale * (x * cos_a + y * sin_a), oy + scale * (-x * sin_a + y * cos_a))
        for x, y in points
    ]


def _in_frame(
    points: Iterable[Point], origin: Point, axis_x: Point, axis_y: Point
) -> Polygon:
    """Points given in a local frame (origin and unit axes) mapped to the outer frame."""
    (ox, oy), (ux, uy), (vx, vy) = origin, axis_x, axis_y
    return [(ox + a * ux + b * vx, oy + a * uy + b * vy) for a, b in points]


def handset_polygons() -> list[Polygon]:
    """The handset in local units: upright, earpiece on top, its back bowed to the left.

    A thick arc makes the handle; at each end a rounded pad (earpiece, mouthpiece) sits
    flush with the handle's back and reaches further in, towards the caller's face.
    The pads point along the arc's radius, so they lean towards each other a little.
    """
    radius, thickness, span = 0.95, 0.22, 31.0
    center: Point = (radius, 0.0)
    inner = radius - thickness
    handle = _arc(center, radius, 180 - span, 180 + span) + _arc(
        center, inner, 180 + span, 180 - span
    )

    polygons = [handle]
    pad_width, pad_depth, pad_corner = 0.36, 0.42, 0.12
    for end_deg in (180 - span, 180 + span):
        theta = math.radians(end_deg)
        outward = (math.cos(theta), math.sin(theta))
        along = (-math.sin(theta), math.cos(theta))
        # Local frame: x along the radius (outwards), y along the arc; the pad's back
        # edge lies on the handle's back, centred where the arc ends.
        origin = (
            center[0] + outward[0] * (radius - pad_depth / 2),
            center[1] + outward[1] * (radius - pad_depth / 2),
        )
        pad = _rounded_rect(pad_depth, pad_width, pad_corner)
        polygons.append(_in_frame(pad, origin, outward, along))
    return polygons


def _centre_of(polygons: Sequence[Polygon]) -> Point:
    xs = [x for polygon in polygons for x, _ in polygon]
    ys = [y for polygon in polygons for _, y in polygon]
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


def _mask(
    polygons: Iterable[Polygon] = (), circles: Iterable[tuple[Point, float]] = ()
) -> Image.Image:
    """A canvas-sized 8-bit mask with the polygons and circles (canvas pixels) filled."""
    mask = Image.new("L", (CANVAS, CANVAS), 0)
    draw = ImageDraw.Draw(mask)
    for polygon in polygons:
        draw.polygon(polygon, fill=255)
    for (cx, cy), radius in circles:
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=255)
    return mask


def _smoothed(mask: Image.Image, sigma: float) -> Image.Image:
    """Round a mask's corners, convex and concave alike: blur, then re-sharpen the edge.

    The steep ramp around half-grey keeps about a pixel of anti-aliasing on the edge, and
    where two shapes meet it leaves a smooth fillet instead of a notch.
    """
    gain = sigma * 2.5
    blurred = mask.filter(ImageFilter.GaussianBlur(sigma))
    return blurred.point(
        [
            min(max(round((value - 127.5) * gain + 127.5), 0), 255)
            for value in range(256)
        ]
    )


def cloud_mask() -> Image.Image:
    """The cloud: a big lobe on top, two round ends, and a flat bottom joining them."""
    left, top, right = ((0.26, 0.62), 0.21), ((0.52, 0.44), 0.28), ((0.76, 0.60), 0.23)
    bottom = left[0][1] + left[1]
    assert math.isclose(bottom, right[0][1] + right[1]), (
        "both ends must sit on the bottom"
    )
    base = [
        (_px(left[0][0]), _px(bottom)),
        (_px(left[0][0]), _px(top[0][1])),
        (_px(right[0][0]), _px(top[0][1])),
        (_px(right[0][0]), _px(bottom)),
    ]
    lobes = [((_px(x), _px(y)), _px(r)) for (x, y), r in (left, top, right)]
    return _smoothed(_mask([base], lobes), _px(0.006))


def draw_icon() -> Image.Image:
    """The icon at canvas size, RGBA on a transparent background.

    The colours are painted on an opaque canvas and the outline applied last as the alpha
    channel, so the anti-aliased edges keep their true colour (no dark fringe).
    """
    cloud = cloud_mask()
    local = handset_polygons()
    cx, cy = _centre_of(local)
    local = [[(x - cx, y - cy) for x, y in polygon] for polygon in local]
    scale, angle, where = _px(0.40), 45.0, (_px(0.52), _px(0.58))
    handset = _smoothed(
        _mask(_transform(polygon, angle, scale, where) for polygon in local),
        _px(0.012),
    )

    # A soft shadow down and to the right, at 45% strength.
    offset = round(_px(0.018))
    shadow = Image.new("L", (CANVAS, CANVAS), 0)
    shadow.paste(handset, (offset, offset))
    shadow = shadow.filter(ImageFilter.GaussianBlur(_px(0.012)))
    shadow = shadow.point([value * 45 // 100 for value in range(256)])

    icon = Image.new("RGB", (CANVAS, CANVAS), CLOUD)
    icon.paste(SHADOW, (0, 0, CANVAS, CANVAS), shadow)
    icon.paste(HANDSET, (0, 0, CANVAS, CANVAS), handset)
    icon.putalpha(ImageChops.lighter(cloud, handset))
    return icon


def _trimmed(icon: Image.Image, margin: float) -> Image.Image:
    """The icon cropped to its content plus a margin, centred on a square canvas."""
    box = icon.getbbox()
    assert box is not None
    left, top, right, bottom = box
    side = round(max(right - left, bottom - top) * (1 + 2 * margin))
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    content = icon.crop(box)
    square.paste(content, ((side - content.width) // 2, (side - content.height) // 2))
    return square


def encode_png(image: Image.Image) -> bytes:
    """An optimised PNG: 256-colour palette with alpha when that is visually lossless.

    The icon is a few flat colours, so a palette keeps every edge (worst channel error
    below MAX_PALETTE_ERROR) at a fraction of the size; otherwise it stays RGBA.
    """
    palette = image.quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    difference = ImageChops.difference(image, palette.convert("RGBA"))
    worst = max(high for _, high in ImageStat.Stat(difference).extrema)
    variant = palette if worst <= MAX_PALETTE_ERROR else image
    buffer = io.BytesIO()
    variant.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _preview(icons: dict[str, Image.Image], path: Path) -> None:
    """The icons on light and dark cards, for a look before committing."""
    big = icons["icon@2x.png"]
    small = icons["icon.png"]
    pad = 32
    sheet = Image.new(
        "RGB", (2 * (big.width + small.width + 3 * pad), big.height + 2 * pad)
    )
    for index, background in enumerate(((0xFA, 0xFA, 0xFA), (0x1C, 0x1C, 0x1C))):
        x = index * (big.width + small.width + 3 * pad)
        card = Image.new(
            "RGB", (big.width + small.width + 3 * pad, big.height + 2 * pad), background
        )
        card.paste(big, (pad, pad), big)
        card.paste(small, (big.width + 2 * pad, pad), small)
        sheet.paste(card, (x, 0))
    sheet.save(path)


def main() -> None:
    """Draw, downsample, and write the PNGs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--preview", type=Path, help="also write a light/dark preview sheet here"
    )
    args = parser.parse_args()

    master = _trimmed(draw_icon(), margin=0.02)
    args.out.mkdir(parents=True, exist_ok=True)
    icons: dict[str, Image.Image] = {}
    for name, size in SIZES.items():
        icon = master.resize((size, size), Image.Resampling.LANCZOS)
        data = encode_png(icon)
        (args.out / name).write_bytes(data)
        icons[name] = Image.open(io.BytesIO(data)).convert("RGBA")
        print(f"{args.out / name}: {size}x{size}, {len(data)} bytes")
    if args.preview is not None:
        _preview(icons, args.preview)
        print(f"preview: {args.preview}")


if __name__ == "__main__":
    main()
