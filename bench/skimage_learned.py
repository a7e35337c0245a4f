#!/usr/bin/python3
"""scikit-image's trainable segmenter on the learned-segmentation benchmark's images (one process).

   /usr/bin/python3 bench/skimage_learned.py DIR

DIR holds, per case, <case>.train.png (8-bit image), <case>.scribbles.png (0 = unlabelled, 1..k),
<case>.test<N>.png and <case>.test<N>.truth.png, and cases.json ({case: {"classes": [...], "tests": N}}).
Per case and forest: features = skimage.feature.multiscale_basic_features(img, intensity, edges,
texture, sigma_min=1, sigma_max=16) on the image scaled to 0..1; a RandomForestClassifier(n_jobs=2,
random_state=1) fitted by skimage.future.fit_segmenter on the scribbles; predict_segmenter on each test
image (features included in the timing). Two forests, the range issue 11 names: the scikit-image
gallery's (50 trees, max_depth 10, max_samples 0.05) and a stronger one (100 trees, max_depth 14).
Prints one JSON line per case and forest: void IoU, per-class accuracy, porosity, times (wall and
CPU: process_time, all threads of the process).
"""
import json
import os
import sys
import time
from functools import partial

import numpy as np
from skimage import io
from skimage.feature import multiscale_basic_features
from skimage.future import fit_segmenter, predict_segmenter
from sklearn.ensemble import RandomForestClassifier


def main():
    d = sys.argv[1]
    cases = json.load(open(os.path.join(d, "cases.json")))
    feats = partial(multiscale_basic_features, intensity=True, edges=True, texture=True, sigma_min=1, sigma_max=16, channel_axis=None)
    forests = [
        ("RF 50 trees, depth 10", dict(n_estimators=50, max_depth=10, max_samples=0.05)),
        ("RF 100 trees, depth 14", dict(n_estimators=100, max_depth=14)),
    ]
    for (name, c), (label, params) in ((nc, f) for nc in cases.items() for f in forests):
        img = io.imread(os.path.join(d, f"{name}.train.png")).astype(np.float32) / 255
        scr = io.imread(os.path.join(d, f"{name}.scribbles.png"))
        t0 = time.perf_counter()
        f = feats(img)
        clf = RandomForestClassifier(n_jobs=2, random_state=1, **params)
        clf = fit_segmenter(scr, f, clf)
        train_s = time.perf_counter() - t0
        out = {"case": name, "forest": label, "trainSeconds": train_s, "trainPixels": int(img.size), "tests": []}
        for t in range(c["tests"]):
            te = io.imread(os.path.join(d, f"{name}.test{t}.png")).astype(np.float32) / 255
            truth = io.imread(os.path.join(d, f"{name}.test{t}.truth.png"))
            t1 = time.perf_counter()
            c1 = time.process_time()
            pred = predict_segmenter(feats(te), clf)
            ps = time.perf_counter() - t1
            pc = time.process_time() - c1
            pv = pred == 1
            tv = truth == 1
            iou = float((pv & tv).sum() / max(1, (pv | tv).sum()))
            per = {cl: float(((pred == k + 1) & (truth == k + 1)).sum() / max(1, (truth == k + 1).sum())) for k, cl in enumerate(c["classes"])}
            out["tests"].append({"voidIoU": iou, "perClass": per, "porosity": float(pv.mean()), "truePorosity": float(tv.mean()), "predictSeconds": ps, "predictCpuSeconds": pc, "pixels": int(te.size)})
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
