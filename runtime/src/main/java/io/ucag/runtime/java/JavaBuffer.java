package io.ucag.runtime.java;

import io.ucag.runtime.DeviceBuffer;

/** Device memory of the Java backend: a plain float array. */
public final class JavaBuffer extends DeviceBuffer {
    private float[] data;

    JavaBuffer(float[] data) {
        super(data.length);
        this.data = data;
    }

    /** The backing array, written in place by ops. */
    public float[] data() {
        return data;
    }

    @Override
    protected void free() {
        data = null; // let the GC take it even if a stale Tensor object lingers
    }
}
