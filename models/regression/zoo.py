"""The models of the PyTorch regression suite and how their random weights are made.

No pretrained weights can be downloaded, so every model gets seeded random
weights. Random weights alone would leave BatchNorm trivial (running mean 0,
variance 1, scale 1, shift 0) and let activations drift far from unit scale in
deep networks; `randomize` gives every BatchNorm a random scale and shift and
running statistics measured on random images (then perturbed), so BatchNorm
does real work and activations stay in a realistic range. Other parameters
that the default init leaves constant (zero biases, LayerNorm's affine,
ConvNeXt's layer scale) get random values too, so none of them can be dropped
or misapplied without the outputs showing it.
"""
import zlib

import torch
import torch.nn as nn
import torchvision


class LeNet(nn.Module):
    """LeNet-5 for 1x28x28 images, built only from modules that torch 1.13's
    exporter turns into Conv, Relu, MaxPool, Flatten, Gemm and Softmax
    (nn.Flatten on a rank-4 input with start_dim 1 becomes Flatten; a
    view(-1, ...) would become Shape/Gather/Reshape instead)."""

    OPS = {"Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax"}

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10), nn.Softmax(dim=1))
        # He initialisation keeps activations near unit scale, so the logits
        # are O(1) and the softmax is far from uniform (PyTorch's default
        # init shrinks them layer by layer to a nearly flat softmax).
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")

    def forward(self, x):
        return self.classifier(self.flatten(self.features(x)))


# Constructor arguments beyond weights=None. The auxiliary classifiers only
# run in training mode; leaving them out keeps unused weights out of the file.
_KWARGS = {
    "googlenet": {"aux_logits": False, "init_weights": True},
    "inception_v3": {"aux_logits": False, "init_weights": True},
}

# The models themselves are listed in models.txt (read by export.py).
# torchvision 0.14's CNN classifiers: one model per family and configuration.
# Left out, because they export to the same operators with the same kinds of
# attributes as a model listed and would only cost time and disk: the deeper
# or wider variants resnet34/101/152, wide_resnet50_2/101_2, resnext101_*,
# vgg11 and vgg13/16/19 (with and without BN), densenet161/169/201,
# efficientnet_b1-b7, efficientnet_v2_m/l, mnasnet0_5/0_75/1_3,
# shufflenet_v2_x0_5/x1_5/x2_0, convnext_small/base/large, and the other
# regnets (regnet_x_* are regnet_y without squeeze-excitation). vit_*, swin_*
# and maxvit_t are transformers, not CNNs.


class SegmentationOutput(nn.Module):
    """torchvision's segmentation models return {"out": per-pixel class
    scores}; the export takes that tensor as the graph's output."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


# Segmentation models: a CNN backbone whose head resizes its scores back to
# the input's size with F.interpolate(size=...), which exports Resize with
# sizes computed from the input's shape (Shape -> Slice -> Concat): with a
# dynamic batch they are known only once a session knows the batch.
# LR-ASPP (MobileNet V3 large backbone) is the smallest; FCN and DeepLabV3
# add dilated convolutions and ASPP's poolings to the same operators.
_SEGMENTATION = {"lraspp_mobilenet_v3_large"}


def construct(name):
    if name == "lenet":
        return LeNet()
    if name in _SEGMENTATION:
        # weights_backbone=None: no ImageNet backbone download (the default).
        return SegmentationOutput(getattr(torchvision.models.segmentation, name)(weights=None, weights_backbone=None))
    return getattr(torchvision.models, name)(weights=None, **_KWARGS.get(name, {}))


def seed_of(name, salt=0):
    """A seed that depends only on the model name (not on dict order or the
    Python hash seed), so each model is reproducible on its own."""
    return (zlib.crc32(name.encode()) + 7919 * salt) % (2**31)


_BN = (nn.BatchNorm1d, nn.BatchNorm2d)


def randomize(model, name, input_chw):
    """Seeded random weights with non-trivial BatchNorm; returns the model in
    eval mode."""
    torch.manual_seed(seed_of(name))
    with torch.no_grad():
        for m in model.modules():
            # Biases the default init leaves at zero would hide a dropped bias.
            if isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None and not m.bias.any():
                m.bias.normal_(0.0, 0.02)
            if isinstance(m, _BN):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
                m.reset_running_stats()
                m.momentum = None  # cumulative average over the calibration batches
            if isinstance(m, nn.LayerNorm) and m.elementwise_affine:
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
        # ConvNeXt scales each residual branch by a learned vector initialised
        # to 1e-6: the branches would hardly reach the output.
        for name_, p in model.named_parameters():
            if name_.endswith("layer_scale"):
                p.uniform_(0.1, 0.5)
    bns = [m for m in model.modules() if isinstance(m, _BN)]
    if bns:
        # Running statistics from random images (train mode updates them),
        # then perturbed so they are not exactly the batch statistics.
        model.train()
        with torch.no_grad():
            for _ in range(2):
                model(torch.randn(4, *input_chw))
            for m in bns:
                std = m.running_var.sqrt()
                m.running_mean.add_(torch.randn_like(std) * 0.1 * std)
                m.running_var.mul_(torch.empty_like(std).uniform_(0.8, 1.25))
                m.momentum = 0.1
    return model.eval()


def build(name, chw):
    """The model `name` with its random weights, in eval mode."""
    torch.manual_seed(seed_of(name))
    return randomize(construct(name), name, chw)
