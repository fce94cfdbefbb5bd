"""The UCAG-GradCAM workload in PyTorch, to compare with `ucag explain --ucag` on the same machine.

36 patches of 124 px (n=6, rho=0.555 of 224) upsampled to 322 px (bicubic), Grad-CAM on layer4 of a ResNet50,
batches of 12 patches, fold with Gamma. Weights are random (torchvision resnet50, same FLOPs as the Keras one):
only the time matters. Run: /usr/bin/python3 ucag/src/test/bench/ucag_gradcam_torch.py [--runs 3] [--threads 2]
[--device cuda]
"""
import argparse
import time

import torch
import torch.nn.functional as F
import torchvision


def ucag_gradcam(model, image, target, n=6, crop=124, side=322, batch=12):
    h, w = image.shape[-2:]
    origins = [round(i * (h - crop) / (n - 1)) for i in range(n)]
    boxes = [(y, x) for y in origins for x in origins]
    canvas = torch.zeros(h, w, device=image.device)
    count = torch.zeros(h, w, device=image.device)
    acts = {}
    model.layer4.register_forward_hook(lambda m, i, o: acts.__setitem__("a", o))
    for start in range(0, len(boxes), batch):
        part = boxes[start:start + batch]
        patches = torch.cat([F.interpolate(image[:, :, y:y + crop, x:x + crop], size=(side, side), mode="bicubic",
                                           align_corners=False) for y, x in part])
        logits = model(patches)
        a = acts["a"]
        grads = torch.autograd.grad(logits[:, target].sum(), a)[0]
        cams = (grads.mean(dim=(2, 3), keepdim=True) * a).sum(1, keepdim=True)
        cams = F.interpolate(cams, size=(side, side), mode="bilinear", align_corners=False)
        cams = F.interpolate(cams, size=(crop, crop), mode="bilinear", align_corners=False)
        weights = torch.exp(torch.softmax(logits, 1)[:, target]).view(-1, 1, 1, 1)
        for (y, x), m in zip(part, (cams * weights).detach()):
            canvas[y:y + crop, x:x + crop] += m[0]
            count[y:y + crop, x:x + crop] += 1
    return canvas / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--device", default="cpu", help="cpu, or cuda for a GPU")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torchvision.models.resnet50().eval().to(args.device)
    image = torch.randn(1, 3, 224, 224).to(args.device)
    ucag_gradcam(model, image, 285)  # warm-up
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        ucag_gradcam(model, image, 285).cpu()  # .cpu() waits for a GPU's queue
        times.append(time.perf_counter() - t0)
    times.sort()
    print("torch %s, %s, %d threads: UCAG-GradCAM %.2f s per image (median of %d)" % (
        torch.__version__, args.device, args.threads, times[len(times) // 2], args.runs))


if __name__ == "__main__":
    main()
