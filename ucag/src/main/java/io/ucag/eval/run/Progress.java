package io.ucag.eval.run;

/** Hears how far an evaluation is; counts are (image, method) pairs. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(int total, int images) {
        }

        @Override
        public void advance(String image, String method) {
        }

        @Override
        public void finish() {
        }
    };

    /** {@code total} pairs to compute in this run, over {@code images} images. */
    void start(int total, int images);

    /** One more pair is done. */
    void advance(String image, String method);

    void finish();
}
