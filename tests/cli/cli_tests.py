#!/usr/bin/python3
"""Command-line tests for cnnrt-classify and cnnrt-features (run by ctest).

    cli_tests.py --list
    cli_tests.py NAME --bin BIN_DIR --source SOURCE_DIR --testdata TESTDATA_DIR --work WORK_DIR

Each test runs the tools as a user would (from the source folder, so the
sample paths match the golden files) and checks their output, exit code and
error messages. Exit 0: passed; 1: failed; 77 (ctest: skipped, with the
reason printed): a pretrained model still needs an operator cnnrt lacks and
failed with exactly the unsupported-operator error it must give.

Needs Debian's python3 with numpy, PIL and onnx (scripts/install-deps.sh --test).
"""
import argparse
import glob
import json
import math
import os
import re
import subprocess
import sys

SKIP = 77
TOL = 1e-4  # probabilities printed with 4 decimals; PyTorch vs oneDNN rounding

TESTS = {}


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


class Failed(Exception):
    pass


class Skipped(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failed(message)


class Env:
    def __init__(self, args):
        self.bin = args.bin
        self.source = args.source
        self.testdata = args.testdata
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)

    def run(self, tool, *argv, expect=None):
        """Runs a tool from the source folder; returns (exit code, stdout, stderr)."""
        cmd = [os.path.join(self.bin, tool)] + [str(a) for a in argv]
        p = subprocess.run(cmd, cwd=self.source, capture_output=True, text=True, timeout=300)
        print("$ " + " ".join(cmd[0:1] + [str(a) for a in argv]))
        print(p.stdout, end="")
        print(p.stderr, end="", file=sys.stderr)
        print("exit code %d" % p.returncode)
        if expect is not None:
            check(p.returncode == expect, "expected exit code %d, got %d" % (expect, p.returncode))
        return p.returncode, p.stdout, p.stderr

    def classify(self, *argv, expect=None):
        return self.run("cnnrt-classify", "--threads", "1", *argv, expect=expect)

    def test_model(self, name):
        return os.path.join(self.bin, "..", "cli-models", name)


# ---------------------------------------------------------------- output parsing

LINE = re.compile(r"^  (\d+)  (\d\.\d{4})  (.*)$")


def parse_text(stdout):
    """cnnrt-classify's text output -> [(image, [(rank, probability, label), ...])]."""
    blocks = []
    for line in stdout.splitlines():
        if line.startswith("time: "):
            continue
        m = LINE.match(line)
        if m:
            check(blocks, "a result line before any image line: %r" % line)
            blocks[-1][1].append((int(m.group(1)), float(m.group(2)), m.group(3)))
        else:
            check(line and not line.startswith(" "), "unexpected output line %r" % line)
            blocks.append((line, []))
    return blocks


def compare_blocks(got, want):
    """Same images, ranks and probabilities (to TOL); labels equal, except
    that classes whose probabilities tie within TOL may swap places."""
    check(len(got) == len(want), "%d images in the output, %d expected" % (len(got), len(want)))
    for (gi, gl), (wi, wl) in zip(got, want):
        check(gi == wi, "image line %r, expected %r" % (gi, wi))
        check(len(gl) == len(wl), "%s: %d result lines, expected %d" % (gi, len(gl), len(wl)))
        want_prob = {label: p for _, p, label in wl}
        floor = min(p for _, p, _ in wl)
        for (gr, gp, glab), (wr, wp, wlab) in zip(gl, wl):
            check(gr == wr, "%s: rank %d, expected %d" % (gi, gr, wr))
            check(abs(gp - wp) <= TOL, "%s rank %d: probability %.4f, expected %.4f" % (gi, gr, gp, wp))
            if glab != wlab:
                # A tie: our class must have (about) the same probability in the reference.
                ref = want_prob.get(glab)
                ok = abs(ref - gp) <= TOL if ref is not None else gp <= floor + TOL
                check(ok, "%s rank %d: %r, expected %r" % (gi, gr, glab, wlab))


def golden_blocks(env, names):
    text = ""
    for n in names:
        with open(os.path.join(env.source, "models", "fashion_mnist", "samples", "golden", n + ".txt")) as f:
            text += f.read()
    return parse_text(text)


def samples(env):
    files = sorted(glob.glob(os.path.join(env.source, "models", "fashion_mnist", "samples", "*.png")))
    check(len(files) >= 5, "expected the sample PNGs under models/fashion_mnist/samples")
    return [os.path.splitext(os.path.basename(f))[0] for f in files]


def sample_path(name):
    return "models/fashion_mnist/samples/%s.png" % name


# ---------------------------------------------------------------- the embedded model


def golden_test(sample):
    def run(env):
        _, out, _ = env.classify(sample_path(sample), expect=0)
        compare_blocks(parse_text(out), golden_blocks(env, [sample]))
    return run


def register_golden_tests():
    # The sample list is read from the source tree at --list time.
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    for f in sorted(glob.glob(os.path.join(src, "models", "fashion_mnist", "samples", "*.png"))):
        name = os.path.splitext(os.path.basename(f))[0]
        TESTS["classify/golden/" + name] = golden_test(name)


@test("classify/batch_of_all_samples")
def _(env):
    names = samples(env)
    _, out, _ = env.classify("--time", *[sample_path(n) for n in names], expect=0)
    compare_blocks(parse_text(out), golden_blocks(env, names))
    # The embedded model's batch is dynamic: every image in one run.
    m = re.search(r"^time: load [\d.]+ ms, preprocessing [\d.]+ ms, inference [\d.]+ ms \((\d+) images in (\d+) run",
                  out, re.M)
    check(m, "no time line")
    check(int(m.group(1)) == len(names) and int(m.group(2)) == 1, "expected %d images in 1 run" % len(names))
    # A smaller --max-batch splits them into several runs with the same results.
    _, out2, _ = env.classify("--time", "--max-batch", "3", *[sample_path(n) for n in names], expect=0)
    compare_blocks(parse_text(out2), golden_blocks(env, names))
    check(re.search(r"in %d runs" % math.ceil(len(names) / 3), out2), "expected %d runs" % math.ceil(len(names) / 3))


@test("classify/top_k")
def _(env):
    name = samples(env)[0]
    _, out, _ = env.classify("-k", "2", sample_path(name), expect=0)
    want = golden_blocks(env, [name])
    compare_blocks(parse_text(out), [(want[0][0], want[0][1][:2])])
    _, out, _ = env.classify("-k", "50", sample_path(name), expect=0)
    check(len(parse_text(out)[0][1]) == 10, "-k above the class count prints every class once")
    env.classify("-k", "0", sample_path(name), expect=2)


@test("classify/json")
def _(env):
    names = samples(env)[:3]
    _, out, _ = env.classify("--json", "--time", *[sample_path(n) for n in names], expect=0)
    j = json.loads(out)
    for key in ("model", "input", "preprocessing", "preprocessing_source", "softmax_applied", "results", "time_ms"):
        check(key in j, "JSON has no %r" % key)
    check(j["model"] == "embedded:fashion_mnist_cnn.onnx", "model %r" % j["model"])
    check(j["input"] == {"name": "image", "shape": [-1, 1, 28, 28]}, "input %r" % j["input"])
    pre = j["preprocessing"]
    check(pre["color"] == "gray" and pre["size"] == [28, 28] and pre["range"] == [0, 1] and pre["layout"] == "NCHW",
          "preprocessing %r" % pre)
    check(abs(pre["mean"][0] - 0.286) < 1e-6 and abs(pre["std"][0] - 0.353) < 1e-6, "mean/std %r" % pre)
    check(j["preprocessing_source"] == "metadata", j["preprocessing_source"])
    check(j["softmax_applied"] is False, "softmax_applied should be false: the model ends in Softmax")
    for key in ("load", "preprocess", "inference", "runs"):
        check(key in j["time_ms"], "time_ms has no %r" % key)
    check(len(j["results"]) == len(names), "one result per image")
    golden = golden_blocks(env, names)
    for r, n, (_, want) in zip(j["results"], names, golden):
        check(r["image"] == sample_path(n), "image %r" % r["image"])
        check(len(r["top"]) == 5, "5 entries by default")
        probs = [e["probability"] for e in r["top"]]
        check(probs == sorted(probs, reverse=True), "probabilities sorted")
        check(sum(probs) <= 1 + 1e-5, "probabilities sum to at most 1")
        for e, (rank, p, label) in zip(r["top"], want):
            check(e["rank"] == rank, "rank")
            check(abs(e["probability"] - p) <= TOL, "%s: probability %r, expected %r" % (n, e["probability"], p))
            check("%s (%d)" % (e["label"], e["index"]) == label or abs(e["probability"] - p) <= TOL,
                  "label %r (%d), expected %r" % (e["label"], e["index"], label))
        check(r["top"][0]["label"] + " (%d)" % r["top"][0]["index"] == want[0][2], "top-1")
    _, out, _ = env.classify("--json", sample_path(names[0]), expect=0)
    check("time_ms" not in json.loads(out), "time_ms only with --time")


@test("classify/help_documents_metadata_and_presets")
def _(env):
    _, out, _ = env.classify("--help", expect=0)
    for word in ("cnnrt.preprocessing", "cnnrt.labels", '"color"', '"range"', '"mean"', '"std"', '"size"', '"resize"',
                 "imagenet", "caffe", "mnist", "--labels", "--json", "--time", "-k"):
        check(word in out, "--help does not mention %s" % word)


@test("classify/labels_file")
def _(env):
    name = samples(env)[0]
    labels = os.path.join(env.work, "labels.txt")
    with open(labels, "w") as f:
        f.write("\n".join("item %d" % i for i in range(10)) + "\n")
    _, out, _ = env.classify("--labels", labels, sample_path(name), expect=0)
    want = golden_blocks(env, [name])[0][1]
    got = parse_text(out)[0][1]
    idx = int(re.search(r"\((\d+)\)$", want[0][2]).group(1))
    check(got[0][2] == "item %d (%d)" % (idx, idx), "labels from the file: %r" % got[0][2])
    with open(labels, "w") as f:
        f.write("a\nb\nc\n")
    _, _, err = env.classify("--labels", labels, sample_path(name), expect=1)
    check("labels.txt has 3 labels but the model outputs 10 classes" in err, "label count error: %r" % err)
    _, _, err = env.classify("--labels", os.path.join(env.work, "missing.txt"), sample_path(name), expect=1)
    check("missing.txt: cannot open: No such file or directory" in err, err)


@test("classify/softmax_applied_to_logits")
def _(env):
    name = samples(env)[0]
    _, out, err = env.classify("--model", env.test_model("logits.onnx"), sample_path(name), expect=0)
    compare_blocks(parse_text(out), golden_blocks(env, [name]))
    check("does not end in Softmax" in err and "applied softmax" in err, "no softmax note: %r" % err)
    _, out, _ = env.classify("--json", "--model", env.test_model("logits.onnx"), sample_path(name), expect=0)
    check(json.loads(out)["softmax_applied"] is True, "softmax_applied should be true")


@test("classify/flags_and_presets_override_metadata")
def _(env):
    name = samples(env)[0]
    want = golden_blocks(env, [name])
    bare = env.test_model("no_metadata.onnx")
    # Without metadata the tool cannot know mean/std: a different answer...
    _, out, err = env.classify("--json", "--model", bare, sample_path(name), expect=0)
    j = json.loads(out)
    check(j["preprocessing_source"] == "default", j["preprocessing_source"])
    check(j["preprocessing"]["mean"] == [0] and j["preprocessing"]["std"] == [1], "defaults: no mean/std")
    # ...the right flags restore the metadata's result.
    _, out, _ = env.classify("--model", bare, "--color", "gray", "--range", "0,1", "--mean", "0.286", "--std", "0.353",
                             sample_path(name), expect=0)
    # No labels in this model: "class N" lines; compare with the golden's "Name (N)".
    relabel = [(r, p, "class " + re.search(r"\((\d+)\)$", l).group(1)) for r, p, l in want[0][1]]
    compare_blocks(parse_text(out), [(want[0][0], relabel)])
    # A preset replaces the metadata's pixel scaling: --preset mnist feeds 0..255.
    _, out, _ = env.classify("--json", "--preset", "mnist", sample_path(name), expect=0)
    j = json.loads(out)
    check(j["preprocessing_source"] == "preset mnist", j["preprocessing_source"])
    check(j["preprocessing"]["range"] == [0, 255] and j["preprocessing"]["mean"] == [0], "preset mnist values")
    # ...and a flag overrides the preset.
    _, out, _ = env.classify("--json", "--preset", "mnist", "--range", "0,1", sample_path(name), expect=0)
    j = json.loads(out)
    check(j["preprocessing_source"] == "preset mnist + flags", j["preprocessing_source"])
    check(j["preprocessing"]["range"] == [0, 1], "flag over preset")


@test("classify/rgb_image_on_gray_model")
def _(env):
    # A colour image is converted to gray (BT.601 luma) for a gray model.
    _, out, _ = env.classify(os.path.join(env.testdata, "images", "fish.png"), expect=0)
    check(len(parse_text(out)[0][1]) == 5, "five results for a colour photo")


@test("classify/missing_image")
def _(env):
    _, out, err = env.classify("models/fashion_mnist/samples/no_such_image.png", expect=1)
    check(err.strip() == "cnnrt-classify: error: models/fashion_mnist/samples/no_such_image.png: cannot open: "
          "No such file or directory", "message: %r" % err)
    check(out == "", "nothing on stdout")


@test("classify/corrupt_image")
def _(env):
    bad = os.path.join(env.work, "corrupt.png")
    with open(bad, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    _, _, err = env.classify(bad, expect=1)
    check(re.fullmatch(r"cnnrt-classify: error: %s: cannot decode image: .+\n" % re.escape(bad), err),
          "message: %r" % err)
    truncated = os.path.join(env.work, "truncated.png")
    with open(os.path.join(env.source, sample_path(samples(env)[0])), "rb") as f:
        data = f.read()
    with open(truncated, "wb") as f:
        f.write(data[: len(data) // 2])
    _, _, err = env.classify(truncated, expect=1)
    check(re.fullmatch(r"cnnrt-classify: error: %s: cannot decode image: .+\n" % re.escape(truncated), err),
          "message: %r" % err)
    text = os.path.join(env.work, "notes.png")
    with open(text, "w") as f:
        f.write("not an image at all\n")
    _, _, err = env.classify(text, expect=1)
    check(err == "cnnrt-classify: error: %s: cannot decode image: unknown image type (supported: PNG, JPEG, BMP, "
          "TGA, GIF, PNM)\n" % text, "message: %r" % err)


@test("classify/hostile_images_are_refused_before_decoding")
def _(env):
    with open(os.path.join(env.testdata, "images", "mnist_digit_0.jpg"), "rb") as f:
        jpeg = f.read()
    dht = jpeg.find(b"\xff\xc4")
    check(dht > 0, "the sample JPEG has a Huffman table")
    # A table declaring more codes than a byte has values (Debian's stb_image
    # 2.27 wrote past its 256-entry table): libjpeg-turbo refuses it.
    counts = dht + 5  # FF C4, length (2), class/id (1), then 16 counts
    bad = bytearray(jpeg)
    bad[counts:counts + 16] = bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 200])
    path = os.path.join(env.work, "huffman.jpg")
    with open(path, "wb") as f:
        f.write(bad)
    _, _, err = env.classify(path, expect=1)
    check(err == "cnnrt-classify: error: %s: corrupt JPEG: Bogus Huffman table definition\n" % path,
          "message: %r" % err)
    # A truncated JPEG is refused, not decoded with grey where data is missing.
    sos = jpeg.find(b"\xff\xda")
    path = os.path.join(env.work, "truncated.jpg")
    with open(path, "wb") as f:
        f.write(jpeg[:sos + (len(jpeg) - sos) // 2])
    _, _, err = env.classify(path, expect=1)
    check(err == "cnnrt-classify: error: %s: corrupt JPEG: Premature end of JPEG file\n" % path, "message: %r" % err)
    # The Huffman table marker's bytes inside an APP segment are data, not a table: accepted.
    app = b"\xff\xe2" + (2 + 20).to_bytes(2, "big") + b"\xff\xc4" + b"\xff" * 18
    ok = os.path.join(env.work, "app_segment.jpg")
    with open(ok, "wb") as f:
        f.write(jpeg[:2] + app + jpeg[2:])
    _, out_ok, _ = env.classify(ok, expect=0)
    _, out_ref, _ = env.classify(os.path.join(env.testdata, "images", "mnist_digit_0.jpg"), expect=0)
    check(out_ok.splitlines()[1:] == out_ref.splitlines()[1:], "an APP segment changed the result")
    for name, data, message in (("image.psd", b"8BPS" + bytes(64), "PSD, HDR and PIC images are not accepted"),
                                ("empty.png", b"", "the file is empty")):
        path = os.path.join(env.work, name)
        with open(path, "wb") as f:
            f.write(data)
        _, _, err = env.classify(path, expect=1)
        check(message in err and path in err, "message: %r" % err)


@test("classify/images_whose_pixels_the_file_cannot_hold")
def _(env):
    # stb_image reads past the end of an uncompressed file as zeros: a
    # 76-byte BMP declaring 8 x 4,194,310 pixels once "decoded" to 100 MB
    # and took seconds to resize. Truncated BMP, TGA and PNM files are
    # refused, naming the bytes their pixels need; the complete file and one
    # missing only the last row's padding are accepted.
    import numpy as np
    from PIL import Image
    w, h = 5, 7  # 24-bit BMP rows: 15 bytes padded to 16
    rgb = Image.fromarray(np.arange(w * h * 3, dtype=np.uint8).reshape(h, w, 3), "RGB")
    gray = rgb.convert("L")

    def saved(image, name, **options):
        path = os.path.join(env.work, name)
        image.save(path, **options)
        with open(path, "rb") as f:
            return f.read()

    def classify_bytes(name, data, expect):
        path = os.path.join(env.work, name)
        with open(path, "wb") as f:
            f.write(data)
        return path, env.classify(path, expect=expect)[2]

    bmp = saved(rgb, "full.bmp")
    pgm = saved(gray, "full.pgm")
    ppm = saved(rgb, "full.ppm")
    tga = saved(rgb, "full.tga")
    tga_rle = saved(rgb, "full_rle.tga", compression="tga_rle")
    pnm_header = len(b"P5\n%d %d\n255\n" % (w, h))
    needs = {  # format: (file bytes, the least its pixel data needs)
        "BMP": (bmp, 14 + 40 + 16 * (h - 1) + 3 * w),
        "PNM gray": (pgm, pnm_header + w * h),
        "PNM rgb": (ppm, pnm_header + 3 * w * h),
        "TGA": (tga, 18 + 3 * w * h),
        "TGA rle": (tga_rle, 18 + 1 + 3),  # 35 pixels: one run of up to 128
    }
    for fmt, (data, needed) in needs.items():
        name = fmt.replace(" ", "_") + ".img"
        check(len(data) >= needed, "%s: PIL wrote %d bytes, fewer than %d" % (fmt, len(data), needed))
        classify_bytes(name, data, expect=0)
        if fmt != "TGA rle":  # an RLE file this short is cut inside a run: stb's own concern
            classify_bytes(name, data[:needed], expect=0)
            path, err = classify_bytes(name, data[:needed - 1], expect=1)
            check(err == "cnnrt-classify: error: %s: truncated %s: its %dx%d pixels need at least %d bytes, "
                  "the file has %d\n" % (path, fmt.split()[0], w, h, needed, needed - 1), "%s: %r" % (fmt, err))
    # The fuzzer's find: a BMP header declaring 8 x 4,194,310 pixels, 76 bytes.
    header = bytearray(bmp[:54])
    header[18:22] = (8).to_bytes(4, "little")
    header[22:26] = (4194310).to_bytes(4, "little")
    path, err = classify_bytes("tall.bmp", bytes(header) + bytes(22), expect=1)
    check(err == "cnnrt-classify: error: %s: truncated BMP: its 8x4194310 pixels need at least %d bytes, the file "
          "has 76\n" % (path, 54 + 24 * (4194310 - 1) + 24), "message: %r" % err)


@test("classify/image_size_limits")
def _(env):
    # A 1-bit PNG of 8193 x 8192 is a few kilobytes but more than 64 Mpixels:
    # refused before decoding. A tall, narrow image is made square by
    # shrinking its columns first: it classifies as PIL's own bilinear
    # (triangle) resize of it does, up to PIL's rounding to 8 bits.
    from PIL import Image
    big = os.path.join(env.work, "big.png")
    Image.new("1", (8193, 8192)).save(big, optimize=True)
    _, _, err = env.classify(big, expect=1)
    check(err == "cnnrt-classify: error: %s: the image is 8193x8192, more than 64 Mpixels\n" % big,
          "message: %r" % err)
    sample = Image.open(os.path.join(env.source, sample_path(samples(env)[0]))).convert("L")
    tall_image = sample.resize((20, 28 * 300), Image.BILINEAR)
    tall, square = os.path.join(env.work, "tall.png"), os.path.join(env.work, "square.png")
    tall_image.save(tall)
    tall_image.resize((28, 28), Image.BILINEAR).save(square)
    got, want = (json.loads(env.classify(f, "--json", expect=0)[1])["results"][0]["top"] for f in (tall, square))
    check(got[0]["index"] == want[0]["index"], "top-1 %r, PIL's resize gives %r" % (got[0], want[0]))
    check(all(abs(g["probability"] - w["probability"]) < 0.02 for g, w in zip(got, want)),
          "probabilities %r, PIL's resize gives %r" % (got, want))


@test("classify/non_image_model")
def _(env):
    model = env.test_model("not_an_image.onnx")
    _, _, err = env.classify("--model", model, sample_path(samples(env)[0]), expect=1)
    check(err.strip() == "cnnrt-classify: error: %s: input 'x' has shape [1,10]: not an image input "
          "(need rank 4, NCHW or NHWC with 1 or 3 channels)" % model, "message: %r" % err)


@test("classify/dense_output_model")
def _(env):
    # identity_rgb's output is the image itself, [1, 3, H, W]: a map, as a
    # segmentation model's is, not one score per class.
    model = env.test_model("identity_rgb.onnx")
    _, out, err = env.classify("--model", model, "--size", "8,6", sample_path(samples(env)[0]), expect=1)
    check(out == "", "nothing printed: %r" % out)
    check(err.strip() == "cnnrt-classify: error: %s: output 'y' has shape [1,3,8,6]: not one score per class "
          "(need [N, classes], unit dims allowed); a dense prediction such as a segmentation map cannot be "
          "classified (cnnrt-run prints any output)" % model, "message: %r" % err)


@test("classify/missing_model")
def _(env):
    _, _, err = env.classify("--model", "no_such_model.onnx", sample_path(samples(env)[0]), expect=1)
    check("no_such_model.onnx" in err and err.startswith("cnnrt-classify: error: "), "message: %r" % err)


@test("classify/unknown_preset")
def _(env):
    _, _, err = env.classify("--preset", "vgg-something", sample_path(samples(env)[0]), expect=2)
    check("--preset" in err and "vgg-something" in err, "message: %r" % err)


@test("classify/preset_that_does_not_fit_the_model")
def _(env):
    _, _, err = env.classify("--preset", "imagenet", sample_path(samples(env)[0]), expect=2)
    check(err.strip() == "cnnrt-classify: error: embedded:fashion_mnist_cnn.onnx: preset imagenet does not fit "
          "input 'image': color \"rgb\" needs 3 channels but the model input has 1", "message: %r" % err)
    _, _, err = env.classify("--mean", "1,2", sample_path(samples(env)[0]), expect=2)
    check("mean has 2 values; the model input has 1 channel" in err, "message: %r" % err)
    _, _, err = env.classify("--size", "32,32", sample_path(samples(env)[0]), expect=2)
    check("differs from the model's fixed input size 28x28" in err, "message: %r" % err)


@test("classify/bad_usage")
def _(env):
    env.classify(expect=2)  # no image
    env.classify("--no-such-flag", sample_path(samples(env)[0]), expect=2)
    env.classify("--range", "0,1,2", sample_path(samples(env)[0]), expect=2)


# ---------------------------------------------------------------- real pretrained models

# Expected top-1 classes as documented in each model's PROVENANCE.md under
# ../shared/testdata/pretrained (references from the model zoo / ONNX Runtime).
PRETRAINED = {
    "mnist-8": {
        "preset": "mnist", "labels": "mnist_classes.txt",
        "ops": ["Conv", "Add", "Relu", "MaxPool", "Reshape", "MatMul"], "opset": 8,
        "images": {"mnist_28.png": "8", "mnist_digit_0.jpg": "0", "mnist_digit_3.jpg": "3",
                   "mnist_digit_5.jpg": "5", "mnist_digit_7.jpg": "7"},
    },
    "squeezenet1.1": {
        "preset": "caffe", "labels": "imagenet_classes.txt",
        "ops": ["Conv", "Relu", "MaxPool", "Concat", "Dropout", "GlobalAveragePool", "Softmax"], "opset": 7,
        "images": {"kitten_224.png": "tabby, tabby cat (281)", "fish.png": "tench, Tinca tinca (0)",
                   "cat.jpg": "Egyptian cat (285)"},
    },
}


def pretrained_test(model, image):
    spec = PRETRAINED[model]

    def run(env):
        model_path = os.path.join(env.testdata, "pretrained", model, "model.onnx")
        check(os.path.exists(model_path), "%s is missing: the shared test data is needed" % model_path)
        code, out, err = env.classify("--model", model_path, "--preset", spec["preset"],
                                      "--labels", os.path.join(env.testdata, "labels", spec["labels"]),
                                      os.path.join(env.testdata, "images", image))
        if code == 0:
            top1 = parse_text(out)[0][1][0][2]
            want = spec["images"][image]
            if model == "mnist-8":
                want = "%s (%s)" % (want, want)
            check(top1 == want, "top-1 %r, documented %r" % (top1, want))
            return
        # Until cnnrt has every operator the model uses, loading must fail
        # with exactly the unsupported-operator error, naming one of them.
        check(code == 1, "exit code %d: expected 0, or 1 for an unsupported operator" % code)
        m = re.fullmatch(r"cnnrt-classify: error: %s: unsupported operator '(\w+)' \(domain ai\.onnx, opset %d\) "
                         r"at node '[^']*'\n" % (re.escape(model_path), spec["opset"]), err)
        check(m, "expected the unsupported-operator error, got %r" % err)
        check(m.group(1) in spec["ops"], "%r is not one of the model's operators" % m.group(1))
        raise Skipped("top-1 not checked yet: cnnrt lacks operator '%s' used by %s" % (m.group(1), model))
    return run


for _model, _spec in PRETRAINED.items():
    for _image in _spec["images"]:
        TESTS["pretrained/%s/%s" % (_model, _image)] = pretrained_test(_model, _image)


# ---------------------------------------------------------------- preprocessing against references


def preprocessed(env, model, image, *flags):
    """The input tensor the tools build for `image` (through an identity model)."""
    import numpy as np
    out = os.path.join(env.work, "pre")
    for f in glob.glob(os.path.join(out, "*")):
        os.remove(f)
    env.run("cnnrt-features", "--threads", "1", env.test_model(model), image, "--out", out, "--npy", *flags, expect=0)
    files = glob.glob(os.path.join(out, "*.npy"))
    check(len(files) == 1, "one tensor expected, got %r" % files)
    return np.load(files[0])


@test("preprocess/caffe_preset_matches_squeezenet_reference_inputs")
def _(env):
    # PROVENANCE.md: RGB, alpha dropped, PIL bilinear resize to 224x224, BGR, 0..255.
    import numpy as np
    import onnx
    from onnx import numpy_helper
    for n, image, max_tol, mean_tol in ((0, "kitten_224.png", 0, 0), (1, "fish.png", 0, 0), (2, "cat.jpg", 3, 0.5)):
        t = onnx.TensorProto()
        with open(os.path.join(env.testdata, "pretrained", "squeezenet1.1", "test_data_set_%d" % n, "input_0.pb"),
                  "rb") as f:
            t.ParseFromString(f.read())
        want = numpy_helper.to_array(t)
        got = preprocessed(env, "identity_rgb.onnx", os.path.join(env.testdata, "images", image), "--preset", "caffe",
                           "--size", "224,224")
        check(got.shape == want.shape, "%s: shape %r, reference %r" % (image, got.shape, want.shape))
        d = np.abs(got - want)
        print("%s: max diff %.3g, mean %.3g (0..255 scale)" % (image, d.max(), d.mean()))
        # 224x224 images need no resize: exact. cat.jpg is shrunk from 1000x1000
        # (stb's triangle filter vs PIL's bilinear, rounded to 8 bits).
        check(d.max() <= max_tol and d.mean() <= mean_tol, "%s differs from the reference input" % image)


@test("preprocess/cmyk_and_gray_jpegs_decode_like_rgb")
def _(env):
    # libjpeg-turbo decodes JPEG. A CMYK file (PIL writes it as Adobe does,
    # inverted) comes out as R = (255 - C) (255 - K) / 255 and so on; a gray
    # one repeated into R, G and B.
    import numpy as np
    from PIL import Image
    y, x = np.mgrid[0:24, 0:32]
    rgb = np.stack([x * 8, y * 10, 255 - x * 4], axis=-1).astype(np.uint8)
    cmyk = np.stack([255 - rgb[..., 0], 255 - rgb[..., 1], 255 - rgb[..., 2], (x + y) * 4], axis=-1).astype(np.uint8)
    cmyk_as_rgb = (255 - cmyk[..., :3].astype(np.float64)) * (255 - cmyk[..., 3:].astype(np.float64)) / 255
    flags = ("--resize", "stretch", "--size", "24,32", "--range", "0,255", "--mean", "0", "--std", "1")
    for mode, image, want in (("RGB", Image.fromarray(rgb), rgb), ("CMYK", Image.fromarray(cmyk, "CMYK"), cmyk_as_rgb)):
        path = os.path.join(env.work, "%s.jpg" % mode.lower())
        image.save(path, quality=100, subsampling=0)
        got = preprocessed(env, "identity_rgb.onnx", path, *flags)
        want = want.transpose(2, 0, 1)[None].astype(np.float64)
        d = np.abs(got - want)
        print("%s JPEG: max diff %.3g, mean %.3g (0..255 scale)" % (mode, d.max(), d.mean()))
        check(got.shape == want.shape and d.max() <= 4 and d.mean() <= 1, "%s JPEG differs from its RGB" % mode)
    gray = os.path.join(env.work, "gray.jpg")
    Image.fromarray(rgb).convert("L").save(gray, quality=100)
    luma = np.asarray(Image.open(gray), dtype=np.float64)
    got = preprocessed(env, "identity_rgb.onnx", gray, *flags)
    check(np.abs(got - luma[None, None]).max() <= 1, "a gray JPEG is not repeated into R, G and B")


@test("preprocess/imagenet_preset_matches_torchvision")
def _(env):
    import numpy as np
    import torchvision.transforms as T
    from PIL import Image
    image = os.path.join(env.testdata, "images", "pelican.jpeg")  # 500x375: resize and crop both matter
    tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    want = tf(Image.open(image).convert("RGB")).numpy()[None]
    got = preprocessed(env, "identity_rgb.onnx", image, "--preset", "imagenet", "--size", "224,224",
                       "--range", "0,1", "--mean", "0", "--std", "1")
    # The identity model is a Relu, so compare the unnormalized 0..1 pixels.
    mean, std = np.array([0.485, 0.456, 0.406])[None, :, None, None], np.array([0.229, 0.224, 0.225])[None, :, None, None]
    want01 = want * std + mean
    check(got.shape == want01.shape, "shape %r, torchvision %r" % (got.shape, want01.shape))
    d = np.abs(got - want01)
    print("pelican.jpeg: max diff %.3g, mean %.3g (0..1 scale)" % (d.max(), d.mean()))
    # Same geometry (shorter side 256, centre 224); JPEG decoders and resize
    # filters differ slightly.
    check(d.mean() < 0.003 and d.max() < 0.03, "the imagenet preset does not match torchvision's transform")


# ---------------------------------------------------------------- cnnrt-features


def naive_edge_maps(gray):
    """The tutorial's stages written out: 3x3 Laplacian with SAME zero
    padding, ReLU, 2x2 max pooling with stride 2 (float64)."""
    import numpy as np
    kernel = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]
    h, w = gray.shape
    padded = np.zeros((h + 2, w + 2))
    padded[1:-1, 1:-1] = gray
    conv = np.zeros((h, w))
    for y in range(h):
        for x in range(w):
            acc = 0.0
            for dy in range(3):
                for dx in range(3):
                    acc += kernel[dy][dx] * padded[y + dy, x + dx]
            conv[y, x] = acc
    relu = np.where(conv > 0, conv, 0.0)
    pooled = np.zeros((h // 2, w // 2))
    for y in range(h // 2):
        for x in range(w // 2):
            pooled[y, x] = max(relu[2 * y, 2 * x], relu[2 * y, 2 * x + 1], relu[2 * y + 1, 2 * x],
                               relu[2 * y + 1, 2 * x + 1])
    return conv, relu, pooled


def normalized(values):
    import numpy as np
    lo, hi = values.min(), values.max()
    return np.zeros(values.shape) if hi == lo else np.round((values - lo) / (hi - lo) * 255)


@test("features/edge_demo_matches_naive_reference")
def _(env):
    import numpy as np
    from PIL import Image
    out = os.path.join(env.work, "edge")
    for f in glob.glob(os.path.join(out, "*")):
        os.remove(f)
    model, image = "models/edge_demo/edge_detector.onnx", "models/edge_demo/cat_gray.png"
    env.run("cnnrt-features", "--threads", "1", model, image, "--out", out, "--npy", expect=0)
    pixels = np.asarray(Image.open(os.path.join(env.source, image)).convert("L"), dtype=np.float64) / 255.0
    h, w = pixels.shape
    refs = naive_edge_maps(pixels)
    names = ["1_laplacian_conv_1x1x%dx%d" % (h, w), "2_relu_1x1x%dx%d" % (h, w),
             "3_max_pool_1x1x%dx%d" % (h // 2, w // 2)]
    check(sorted(os.listdir(out)) == sorted([n + ".npy" for n in names] + [n + ".png" for n in names]),
          "files written: %r" % sorted(os.listdir(out)))
    check(refs[0].min() < 0, "the sample must have negative Laplacian responses for ReLU to matter")
    for name, ref in zip(names, refs):
        got = np.load(os.path.join(out, name + ".npy"))
        check(got.shape == (1, 1) + ref.shape, "%s: shape %r" % (name, got.shape))
        diff = np.abs(got[0, 0].astype(np.float64) - ref).max()
        print("%s: max |cnnrt - naive| = %.3g" % (name, diff))
        check(diff <= 1e-5, "%s differs from the naive reference by %g" % (name, diff))
        png = np.asarray(Image.open(os.path.join(out, name + ".png")))
        check(png.shape == ref.shape and png.dtype == np.uint8, "%s.png: shape %r" % (name, png.shape))
        # The PNG is the map stretched to 0..255 (allow 1 level for rounding).
        check(np.abs(png.astype(np.float64) - normalized(ref)).max() <= 1, "%s.png is not the normalized map" % name)


@test("features/committed_demo_pngs_are_current")
def _(env):
    import numpy as np
    from PIL import Image
    out = os.path.join(env.work, "edge_pngs")
    env.run("cnnrt-features", "--threads", "1", "models/edge_demo/edge_detector.onnx", "models/edge_demo/cat_gray.png",
            "--out", out, expect=0)
    committed = sorted(glob.glob(os.path.join(env.source, "models", "edge_demo", "output", "*.png")))
    check(len(committed) == 3, "expected the three demo PNGs in models/edge_demo/output")
    for f in committed:
        got = np.asarray(Image.open(os.path.join(out, os.path.basename(f)))).astype(int)
        want = np.asarray(Image.open(f)).astype(int)
        check(got.shape == want.shape and np.abs(got - want).max() <= 1, "%s differs from a fresh run" % f)


@test("features/every_intermediate_of_a_cnn_without_fusion")
def _(env):
    out = os.path.join(env.work, "fashion")
    for f in glob.glob(os.path.join(out, "*")):
        os.remove(f)
    model = "models/fashion_mnist/fashion_mnist_cnn.onnx"
    _, listing, _ = env.run("cnnrt-features", model, "--list", expect=0)
    tensors = [l.split()[1] for l in listing.splitlines()]
    check(len(tensors) == 14, "the Fashion-MNIST CNN has 14 node outputs, --list shows %d" % len(tensors))
    env.run("cnnrt-features", "--threads", "1", model, sample_path(samples(env)[0]), "--out", out, expect=0)
    pngs = sorted(os.listdir(out))
    check(len(pngs) == 14, "one PNG per intermediate (Conv and its Relu both kept), got %d" % len(pngs))
    check(any("conv1_Conv" in p and p.endswith("_1x16x28x28.png") for p in pngs), "conv1 map: %r" % pngs)
    check(any("relu1_Relu" in p and p.endswith("_1x16x28x28.png") for p in pngs), "relu1 map: %r" % pngs)
    from PIL import Image
    conv1 = [p for p in pngs if "conv1_Conv" in p][0]
    im = Image.open(os.path.join(out, conv1))
    # 16 tiles of 28x28 in a 4x4 grid with 1-pixel gaps.
    check(im.size == (4 * 28 + 3, 4 * 28 + 3), "conv1 grid size %r" % (im.size,))


@test("features/errors")
def _(env):
    model = "models/edge_demo/edge_detector.onnx"
    _, _, err = env.run("cnnrt-features", model, "models/edge_demo/cat_gray.png", "--out",
                        os.path.join(env.work, "x"), "--tensor", "nope", expect=2)
    check("no intermediate tensor named 'nope'" in err, err)
    env.run("cnnrt-features", model, "models/edge_demo/cat_gray.png", expect=2)  # no --out
    _, _, err = env.run("cnnrt-features", model, "missing.png", "--out", os.path.join(env.work, "x"), expect=1)
    check("missing.png: cannot open" in err, err)
    _, _, err = env.run("cnnrt-features", env.test_model("not_an_image.onnx"), "models/edge_demo/cat_gray.png",
                        "--out", os.path.join(env.work, "x"), expect=1)
    check("not an image input" in err, err)
    # Sizes that would need gigabytes are refused, not attempted.
    identity = env.test_model("identity_rgb.onnx")
    photo = os.path.join(env.testdata, "images", "pelican.jpeg")
    _, _, err = env.run("cnnrt-features", identity, photo, "--out", os.path.join(env.work, "x"),
                        "--size", "65536,65536", expect=2)
    check("size 65536x65536 is over the 64 Mpixel limit" in err, err)
    _, _, err = env.run("cnnrt-features", identity, photo, "--out", os.path.join(env.work, "x"),
                        "--resize", "shorter", "--shorter-side", "65536", expect=1)
    check("pelican.jpeg: scaling its shorter side to 65536 makes it 87381x65536, over the 64 Mpixel limit" in err, err)


@test("features/chosen_tensor_only")
def _(env):
    out = os.path.join(env.work, "one")
    for f in glob.glob(os.path.join(out, "*")):
        os.remove(f)
    env.run("cnnrt-features", "models/edge_demo/edge_detector.onnx", "models/edge_demo/cat_gray.png", "--out", out,
            "--tensor", "relu", expect=0)
    check(os.listdir(out) == ["2_relu_1x1x256x256.png"], "files: %r" % os.listdir(out))


# ---------------------------------------------------------------- int8 (cnnrt-run, cnnrt-bench)


def held_out_folder(env, model, keep):
    """A test folder holding `model`'s model.onnx and only its test_data_set_<keep> (symlinks)."""
    src = os.path.join(env.testdata, "pretrained", model)
    check(os.path.isdir(src), "%s is missing: the shared test data is needed" % src)
    dst = os.path.join(env.work, "%s-only-%d" % (model, keep))
    os.makedirs(dst, exist_ok=True)
    for name, target in (("model.onnx", "model.onnx"), ("test_data_set_0", "test_data_set_%d" % keep)):
        link = os.path.join(dst, name)
        if not os.path.lexists(link):
            os.symlink(os.path.join(src, target), link)
    return dst, src


@test("run/int8_top1_on_held_out_squeezenet_sets")
def _(env):
    # Each set evaluated with scales calibrated on the other two only; the
    # top-1 class must stay the FP32 reference's (--atol-scale 1 lets any
    # probability through: int8 moves them, the class is what is checked).
    for keep in range(3):
        folder, src = held_out_folder(env, "squeezenet1.1", keep)
        others = [os.path.join(src, "test_data_set_%d" % n) for n in range(3) if n != keep]
        _, out, _ = env.run("cnnrt-run", "--threads", "1", "--int8", "--calibrate", *others, "--topk", "1",
                            "--atol-scale", "1", folder, expect=0)
        check("calibration: 2 sets from --calibrate" in out, "the calibration source is not printed")
        check("top1 same" in out, "no top-1 comparison printed")


@test("run/int8_options")
def _(env):
    _, out, _ = env.run("cnnrt-run", "--help", expect=0)
    check("--int8" in out and "--calibrate" in out, "--help does not document --int8 and --calibrate")
    folder = os.path.join(env.testdata, "pretrained", "mnist-8")
    model = os.path.join(folder, "model.onnx")
    _, _, err = env.run("cnnrt-run", "--calibrate", os.path.join(folder, "test_data_set_0"), folder, expect=2)
    check("--calibrate requires --int8" in err, "expected CLI11's 'requires --int8', got %r" % err)
    _, out, _ = env.run("cnnrt-run", "--threads", "1", "--int8", model, expect=1)
    check("--int8 on a bare model needs --calibrate" in out, "bare model without --calibrate: %r" % out)
    # A folder without --calibrate uses its own sets, and says so.
    _, out, _ = env.run("cnnrt-run", "--threads", "1", "--int8", "--topk", "1", "--atol-scale", "1", folder, expect=0)
    check("the folder's own test_data_set_* inputs (the evaluated inputs themselves" in out,
          "the fallback calibration is not announced: %r" % out)


@test("bench/int8_says_what_it_calibrated_on")
def _(env):
    folder = os.path.join(env.testdata, "pretrained", "mnist-8")
    model = os.path.join(folder, "model.onnx")
    _, out, _ = env.run("cnnrt-bench", "--threads", "1", "--iterations", "3", "--warmup", "1", "--int8", model,
                        expect=0)
    check("calibration  4 generated uniform [0,1) input sets" in out, "generated calibration not announced")
    _, out, _ = env.run("cnnrt-bench", "--threads", "1", "--iterations", "3", "--warmup", "1", "--int8",
                        "--calibrate", os.path.join(folder, "test_data_set_0"), os.path.join(folder, "test_data_set_1"),
                        "--json", model, expect=0)
    result = json.loads(out)
    check(result["precision"] == "int8" and result["calibration"] == "2 input sets from --calibrate",
          "json: %r" % {k: result.get(k) for k in ("precision", "calibration")})


# ---------------------------------------------------------------- batch mode (cnnrt-bench, cnnrt-run)


@test("bench/batch_mode")
def _(env):
    model = "models/fashion_mnist/fashion_mnist_cnn.onnx"  # a free batch dimension
    runs = {}
    for mode in ("whole", "per-image", "auto"):
        _, out, _ = env.run("cnnrt-bench", "--threads", "1", "--iterations", "2", "--warmup", "0", "--batch", "3",
                            "--batch-mode", mode, "--json", model, expect=0)
        runs[mode] = json.loads(out)["runs_per_batch"]
    # The small CNN's batch of 3 fits in any cache: auto keeps it whole.
    check(runs == {"whole": 1, "per-image": 3, "auto": 1}, "runs per batch: %r" % runs)
    _, out, _ = env.run("cnnrt-bench", "--threads", "1", "--iterations", "2", "--batch", "3", "--batch-mode",
                        "per-image", model, expect=0)
    check("run image by image: 3 runs of the batch-1 plan" in out, "per-image runs not announced: %r" % out)
    _, _, err = env.run("cnnrt-bench", "--batch-mode", "sometimes", model, expect=2)
    check("--batch-mode: sometimes not in {auto,whole,per-image}" in err, "bad mode: %r" % err)
    _, out, _ = env.run("cnnrt-run", "--help", expect=0)
    check("--batch-mode" in out, "cnnrt-run --help does not document --batch-mode")


register_golden_tests()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name", nargs="?")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--bin")
    ap.add_argument("--source")
    ap.add_argument("--testdata")
    ap.add_argument("--work")
    args = ap.parse_args()
    if args.list:
        print(";".join(sorted(TESTS)))
        return 0
    if args.name not in TESTS:
        print("no test %r" % args.name)
        return 1
    env = Env(args)
    try:
        TESTS[args.name](env)
    except Failed as e:
        print("FAIL: %s" % e)
        return 1
    except Skipped as e:
        print("SKIPPED: %s" % e)
        return SKIP
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
