package io.ucag.eval.data;

import java.nio.file.Path;

/**
 * Where a dataset's images and ground truth are. Labels come from, in this order: a {@code file,label} CSV, PASCAL
 * VOC XML annotations, a COCO instances JSON, the boxes CSV, or else ImageNet-sample file names
 * ({@code <wnid>_<name>.JPEG}). Null fields are absent.
 *
 * @param images  the folder of image files
 * @param labels  {@code file,label} CSV
 * @param boxes   {@code file,label,orig_w,orig_h,x0,y0,x1,y1} CSV
 * @param voc     a folder of VOC XML files (or one file)
 * @param coco    a COCO instances JSON file
 * @param classes class names in the model's output order, for VOC / COCO (default: VOC's 20 classes; COCO's
 *                categories by ascending id)
 */
public record DatasetSpec(Path images, Path labels, Path boxes, Path voc, Path coco, Path classes) {
    public DatasetSpec {
        if (images == null) {
            throw new IllegalArgumentException("--images is required");
        }
        int sources = (voc != null ? 1 : 0) + (coco != null ? 1 : 0) + (labels != null ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("give one of --labels, --voc and --coco");
        }
        if (boxes != null && (voc != null || coco != null)) {
            throw new IllegalArgumentException("--boxes goes with --labels or ImageNet names, not with --voc/--coco");
        }
        if (classes != null && voc == null && coco == null) {
            throw new IllegalArgumentException("--classes applies to --voc and --coco only");
        }
    }

    public static DatasetSpec of(Path images) {
        return new DatasetSpec(images, null, null, null, null, null);
    }
}
