package io.ucag.runtime.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpProfileTest {
    private static final JavaDevice D = new JavaDevice(2);

    @Test
    void countsCallsAndFlopsOfDenseOpsAndPassesResultsThrough() {
        OpProfile profile = new OpProfile();
        Device p = profile.wrap(D);
        try (Tensor x = p.fromArray(Shape.of(2, 3, 5, 5), new float[150]);
             Tensor w = p.fromArray(Shape.of(4, 3, 3, 3), new float[108]);
             Tensor y = p.conv2d(x, w, null, Conv2dParams.of(1, 1));
             Tensor y2 = p.conv2d(x, w, null, Conv2dParams.of(2, 0));
             Tensor gx = p.conv2dBackwardInput(y, w, x.shape(), Conv2dParams.of(1, 1));
             Tensor gw = p.conv2dBackwardWeight(y, x, 3, 3, Conv2dParams.of(1, 1));
             Tensor quotient = p.conv2dDivide(y, x, w, null, Conv2dParams.of(1, 1));
             Tensor product = p.conv2dBackwardInputTimes(x, y, w, Conv2dParams.of(1, 1));
             Tensor a = p.fromArray(Shape.of(3, 6), new float[18]);
             Tensor b = p.fromArray(Shape.of(3, 5), new float[15]);
             Tensor ab = p.matmul(a, b, true, false);
             Tensor r = p.relu(ab)) {
            assertArrayEquals(new int[] {2, 4, 5, 5}, y.shape().dims());
            assertArrayEquals(new int[] {6, 5}, ab.shape().dims());
            Map<String, OpProfile.Entry> byOp = profile.entries().stream()
                    .collect(Collectors.toMap(OpProfile.Entry::op, e -> e));
            // conv: outputs x C*kh*kw x 2 = (2*4*5*5 + 2*4*2*2) * 27 * 2
            assertEquals(2, byOp.get("conv2d").calls());
            assertEquals((200 + 32) * 27 * 2.0, byOp.get("conv2d").flops());
            assertEquals(200 * 27 * 2.0, byOp.get("conv2dBackwardInput").flops());
            assertEquals(200 * 27 * 2.0, byOp.get("conv2dBackwardWeight").flops());
            assertEquals(200 * 27 * 2.0, byOp.get("conv2dDivide").flops());
            assertEquals(200 * 27 * 2.0, byOp.get("conv2dBackwardInputTimes").flops());
            assertEquals(6 * 5 * 3 * 2.0, byOp.get("matmul").flops()); // K = 3 rows of the transposed a
            assertEquals(0.0, byOp.get("relu").flops());
            assertEquals(List.of(), profile.entries().stream().filter(e -> e.seconds() < 0).toList());
            assertTrue(profile.totalSeconds() > 0);
        }
    }

    @Test
    void opsWithSeveralResultsAreCountedWithTheirShapes() {
        OpProfile profile = new OpProfile();
        Device p = profile.wrap(D);
        try (Tensor a = p.fromArray(Shape.of(1, 2, 3, 3), new float[18]);
             Tensor r = p.fromArray(Shape.of(1, 2, 3, 3), new float[18])) {
            Tensor[] shares = p.positiveShares(a, a, r, 1e-6f);
            try (Tensor first = shares[0]; Tensor second = shares[1]) {
                List<OpProfile.Call> calls = profile.calls().stream()
                        .filter(c -> c.op().equals("positiveShares")).toList();
                assertEquals(1, calls.size());
                assertEquals("(1,2,3,3) (1,2,3,3) (1,2,3,3) -> (1,2,3,3) (1,2,3,3)", calls.get(0).shapes());
            }
        }
    }

    @Test
    void opErrorsReachTheCallerUnwrapped() {
        Device p = new OpProfile().wrap(D);
        try (Tensor x = p.fromArray(Shape.of(2, 3), new float[6]); Tensor y = p.fromArray(Shape.of(4, 5),
                new float[20])) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.add(x, y));
            assertTrue(e.getMessage().contains("add"), e.getMessage());
        }
    }
}
