#!/usr/bin/python3
"""Trains cnnrt's embedded default model: a small CNN for Fashion-MNIST.

Run with Debian's Python (python3-torch 1.13, python3-onnx, python3-pil,
dataset-fashion-mnist):

    /usr/bin/python3 models/fashion_mnist/train.py

It reads the dataset where Debian's dataset-fashion-mnist installs it
(/usr/share/datasets/fashion-mnist/*.gz), trains with a fixed seed, prints
the test-set accuracy, and writes next to this script:

    fashion_mnist_cnn.onnx   the model, with preprocessing and class names
                             in metadata_props (keys documented in MODEL_CARD.md)
    samples/*.png            one test-split image per class (the first of each)
    samples/golden/*.txt     PyTorch's top-5 for each sample, in cnnrt-classify's
                             output format: the CLI tests compare against them
    training_log.txt         settings, per-epoch loss and the final accuracy

The network uses only Conv, Relu, MaxPool, Flatten, Gemm and Softmax, the
operators cnnrt's core supports. CI never runs this script: the committed
.onnx is the model everyone uses.
"""
import argparse
import gzip
import json
import os
import random
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
# The training set's pixel statistics after scaling to [0, 1] (computed by
# this script and checked below; fixed here so the model's metadata does not
# depend on floating-point summation order).
MEAN, STD = 0.2860, 0.3530

# What cnnrt-classify reads from the model (see MODEL_CARD.md): the input is
# a 28x28 grayscale image, 8-bit pixels mapped to [0, 1], then (x - mean) / std.
PREPROCESSING = {
    "layout": "NCHW",
    "color": "gray",
    "size": [28, 28],
    "resize": "stretch",
    "range": [0, 1],
    "mean": [MEAN],
    "std": [STD],
}


def read_idx(name):
    """Reads one IDX file (the MNIST format) as a numpy array."""
    with gzip.open(os.path.join(DATA_DIR, name), "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class FashionCNN(nn.Module):
    """Three 3x3 conv + ReLU + 2x2 max-pool stages, then two fully connected
    layers: 28x28 -> 14x14 -> 7x7 -> 3x3 (the last pool floors 7 to 3). With
    softmax=True (the exported form) the graph ends in Softmax and outputs
    probabilities; training uses the logits."""

    def __init__(self):
        super().__init__()
        self.conv1, self.relu1, self.pool1 = nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
        self.conv2, self.relu2, self.pool2 = nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
        self.conv3, self.relu3, self.pool3 = nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1, self.relu4 = nn.Linear(64 * 3 * 3, 64), nn.ReLU()
        self.fc2 = nn.Linear(64, 10)
        self.softmax = False

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.pool3(self.relu3(self.conv3(x)))
        x = self.fc2(self.relu4(self.fc1(self.flatten(x))))
        return torch.softmax(x, dim=1) if self.softmax else x


def normalize(images_u8):
    x = torch.from_numpy(images_u8.astype(np.float32) / 255.0)
    return ((x - MEAN) / STD).unsqueeze(1)


def evaluate(net, x, y, batch=1000):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (net(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def slug(name):
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def top5_text(probs, path_shown):
    """cnnrt-classify's text output for one image (see tools/cnnrt_classify.cpp)."""
    order = np.argsort(-probs, kind="stable")[:5]
    lines = [path_shown]
    for rank, k in enumerate(order, 1):
        lines.append("  %d  %.4f  %s (%d)" % (rank, probs[k], CLASSES[k], k))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--threads", type=int, default=1,
                    help="PyTorch threads; the same count (and torch version) reproduces the same weights")
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    train_x_u8 = read_idx("train-images-idx3-ubyte.gz")
    train_y = torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    test_x_u8 = read_idx("t10k-images-idx3-ubyte.gz")
    test_y = torch.from_numpy(read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    scaled = train_x_u8.astype(np.float64) / 255.0
    assert abs(scaled.mean() - MEAN) < 5e-4 and abs(scaled.std() - STD) < 5e-4, (scaled.mean(), scaled.std())
    train_x, test_x = normalize(train_x_u8), normalize(test_x_u8)

    net = FashionCNN()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    steps_per_epoch = (len(train_x) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    settings = {k: v for k, v in vars(args).items() if k != "out"}
    log = ["settings: " + json.dumps(settings | {"torch": torch.__version__})]
    start = time.time()
    for epoch in range(args.epochs):
        net.train()
        perm = torch.randperm(len(train_x))
        total = 0.0
        for i in range(0, len(train_x), args.batch):
            idx = perm[i:i + args.batch]
            xb = train_x[idx]
            # Random horizontal flips: clothes are roughly left-right symmetric.
            flip = torch.rand(len(idx)) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            opt.zero_grad()
            loss = loss_fn(net(xb), train_y[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        line = "epoch %d: train loss %.4f, %.0f s" % (epoch + 1, total / len(train_x), time.time() - start)
        print(line, flush=True)
        log.append(line)

    accuracy = evaluate(net, test_x, test_y)
    line = "test accuracy: %.2f%% (%d of %d)" % (100 * accuracy, round(accuracy * len(test_x)), len(test_x))
    print(line)
    log.append(line)

    # Export with a dynamic batch dimension, so cnnrt-classify batches images.
    net.softmax = True
    model = net.eval()
    onnx_path = os.path.join(args.out, "fashion_mnist_cnn.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13,
                      input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "N"}, "probabilities": {0: "N"}},
                      do_constant_folding=True)
    m = onnx.load(onnx_path)
    m.doc_string = "Fashion-MNIST classifier, cnnrt's embedded default model (see MODEL_CARD.md)"
    m.model_version = 1
    for key, value in (("cnnrt.preprocessing", json.dumps(PREPROCESSING)),
                       ("cnnrt.labels", json.dumps(CLASSES)),
                       ("cnnrt.test_accuracy", "%.4f" % accuracy),
                       ("cnnrt.dataset", "Fashion-MNIST (Zalando Research, MIT licence)")):
        entry = m.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    assert set(ops) <= {"Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax"}, ops
    onnx.save(m, onnx_path)
    log.append("ops: " + ", ".join(ops))
    log.append("onnx: %s, %d bytes" % (os.path.basename(onnx_path), os.path.getsize(onnx_path)))

    # Samples: the first test image of each class, as 8-bit grayscale PNGs,
    # and PyTorch's top-5 on each PNG read back from disk (the CLI tests'
    # golden output; an independent reference for cnnrt).
    sample_dir = os.path.join(args.out, "samples")
    golden_dir = os.path.join(sample_dir, "golden")
    os.makedirs(golden_dir, exist_ok=True)
    test_y_np = test_y.numpy()
    for k, name in enumerate(CLASSES):
        index = int(np.nonzero(test_y_np == k)[0][0])
        file = "%s_%d.png" % (slug(name), index)
        Image.fromarray(test_x_u8[index], mode="L").save(os.path.join(sample_dir, file), optimize=True)
        pixels = np.asarray(Image.open(os.path.join(sample_dir, file)))
        assert (pixels == test_x_u8[index]).all()
        with torch.no_grad():
            probs = model(normalize(pixels[None]))[0].numpy().astype(np.float64)
        with open(os.path.join(golden_dir, file[:-4] + ".txt"), "w") as f:
            f.write(top5_text(probs, "models/fashion_mnist/samples/" + file))
    with open(os.path.join(args.out, "training_log.txt"), "w") as f:
        f.write("\n".join(log) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
