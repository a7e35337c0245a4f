#!/usr/bin/python3
"""scikit-image version of voidscope's porosity bench (same stages, same files, one process).

   /usr/bin/python3 bench/skimage_bench.py DIR

Per image: read (skimage.io) -> gaussian(sigma=1, truncate=4), rounded back to uint8 as ImageJ does
-> threshold_otsu -> void = img <= t -> remove_small_objects(min_size=10, 8-connected)
-> label(connectivity=2) -> regionprops (area, equivalent diameter) -> porosity.
(voidscope additionally reads SEM metadata and finds/excludes the data bar; that work is not timed
separately.) Prints one JSON line: images, seconds, imagesPerSecond, peakRssMB.
"""
import glob
import json
import os
import resource
import sys
import time

import numpy as np
from skimage import filters, io, measure, morphology


def main():
    d = sys.argv[1]
    files = sorted(glob.glob(os.path.join(d, "*.tif")))
    t0 = time.perf_counter()
    total = 0.0
    for f in files:
        img = io.imread(f)
        g = filters.gaussian(img, sigma=1, preserve_range=True, truncate=4.0)
        g = np.clip(np.floor(g + 0.5), 0, 255).astype(np.uint8)
        t = filters.threshold_otsu(g)
        voids = g <= t
        voids = morphology.remove_small_objects(voids, min_size=10, connectivity=2)
        lab = measure.label(voids, connectivity=2)
        props = measure.regionprops(lab)
        ecd = [p.equivalent_diameter for p in props]
        total += voids.mean() + (np.mean(ecd) if ecd else 0)
    secs = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"images": len(files), "seconds": secs, "imagesPerSecond": len(files) / secs, "peakRssMB": rss, "check": total}))


if __name__ == "__main__":
    main()
