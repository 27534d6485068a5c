"""Photo decoding: time and peak memory, the old way (60 MP limit, full decode) vs now.

    .venv/bin/python bench/images.py [--runs 3]

Cases: the 7,745 × 7,745 RGBA PNG of issue 11 (233 KB), a 12 MP phone JPEG
(4000 × 3000) and a 48 MP one (8000 × 6000). Each measurement runs in a fresh
process (peak RSS is a high-water mark); prints the median of --runs, and the
ratio of now against the old way measured in the same run.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")


def make_inputs(folder: Path) -> dict[str, Path]:
    from PIL import Image

    from photo_support import png_bomb

    files = {"png_7745_rgba": folder / "bomb.png"}
    files["png_7745_rgba"].write_bytes(png_bomb())
    for name, size in (("jpeg_12mp", (4000, 3000)), ("jpeg_48mp", (8000, 6000))):
        noise = Image.effect_noise((size[0] // 4, size[1] // 4), 60).resize(size)
        image = Image.merge("RGB", [noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise.rotate(180)])
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        files[name] = folder / f"{name}.jpg"
        files[name].write_bytes(out.getvalue())
    return files


def old_way(data: bytes) -> None:
    """backend/images.py before issue 11: a 60 MP limit, then a full decode."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > 60_000_000:
            return
        image.verify()
        image = Image.open(io.BytesIO(data))
        image.load()


def new_way(data: bytes) -> None:
    from backend import images
    from backend.errors import Invalid

    try:
        images.decode_image(data, max_side=2560)
    except Invalid:
        pass


def peak_kb(*, reset: bool = False) -> int:
    """This process's peak RSS (VmHWM). getrusage's ru_maxrss is no use here: Linux carries
    it across exec, so a child starts with its parent's peak."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def one(path: str, mode: str) -> None:
    import django

    django.setup()
    from backend import images  # noqa: F401  (imports outside the timing)
    from PIL import Image  # noqa: F401

    data = Path(path).read_bytes()
    before = peak_kb(reset=True)
    started = time.perf_counter()
    (old_way if mode == "old" else new_way)(data)
    elapsed = time.perf_counter() - started
    grown = peak_kb() - before
    print(json.dumps({"s": elapsed, "mb": grown / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("FILE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(*args.one)
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = make_inputs(Path(tmp))
        print(f"{'case':<16}{'way':<5}{'median s':>10}{'peak +MB':>10}{'time ratio':>12}{'mem ratio':>11}")
        for case, path in files.items():
            medians = {}
            for mode in ("old", "new"):
                runs = [
                    json.loads(subprocess.run([sys.executable, __file__, "--one", str(path), mode], capture_output=True,
                                              text=True, check=True).stdout)
                    for _ in range(args.runs)
                ]
                medians[mode] = (statistics.median(r["s"] for r in runs), statistics.median(r["mb"] for r in runs))
            for mode, (seconds, mb) in medians.items():
                ratio = "" if mode == "old" else f"{seconds / medians['old'][0]:>12.2f}{mb / max(medians['old'][1], 0.1):>11.2f}"
                print(f"{case:<16}{mode:<5}{seconds:>10.3f}{mb:>10.0f}{ratio}")


if __name__ == "__main__":
    main()
