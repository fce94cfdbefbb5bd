package io.ucag.runtime.profile;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a pass spends its time, op by op: {@link #wrap} gives a device that waits for the queue before and after
 * every op and adds the op's wall time (and, for convolutions and matrix products, its FLOPs) to this profile.
 * The waiting serialises a queued device, so a profiled pass is slower than a real one; use it to see shares,
 * and time real passes without it. Keeps one small record per call ({@link #calls()}): profile one pass, not a
 * long run. Not thread-safe: one profile per profiled thread.
 */
public final class OpProfile {
    /** Totals of one op name: calls, wall seconds, floating-point operations (0 where not counted). */
    public record Entry(String op, long calls, double seconds, double flops) {
        public double gflops() {
            return seconds > 0 ? flops / seconds / 1e9 : 0;
        }
    }

    /** One op call: its name, argument shapes, wall seconds and FLOPs. */
    public record Call(String op, String shapes, double seconds, double flops) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, long[]> nanosAndCalls = new LinkedHashMap<>();
    private final Map<String, Double> flops = new LinkedHashMap<>();

    /** A device that does what {@code inner} does and records each op's time here. */
    public Device wrap(Device inner) {
        InvocationHandler handler = (proxy, method, args) -> timed(inner, method, args);
        return (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class}, handler);
    }

    private Object timed(Device inner, Method method, Object[] args) throws Throwable {
        boolean op = method.getReturnType() == Tensor.class || method.getReturnType() == Tensor[].class;
        if (op) {
            inner.synchronize(); // do not bill this op for work queued before it
        }
        long start = System.nanoTime();
        Object result;
        try {
            result = method.invoke(inner, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (op) {
            inner.synchronize();
            long nanos = System.nanoTime() - start;
            String name = method.getName();
            long[] totals = nanosAndCalls.computeIfAbsent(name, k -> new long[2]);
            totals[0] += nanos;
            totals[1]++;
            Tensor[] results = result instanceof Tensor[] several ? several : new Tensor[] {(Tensor) result};
            double opFlops = flopsOf(name, args, results[0]);
            flops.merge(name, opFlops, Double::sum);
            calls.add(new Call(name, shapes(args, results), nanos / 1e9, opFlops));
        }
        return result;
    }

    /** Multiply-adds times two of the dense ops; 0 for the others. */
    static double flopsOf(String op, Object[] args, Tensor result) {
        return switch (op) {
            case "conv2d", "conv2dFused", "conv2dAddRelu" -> { // out (N,O,Ho,Wo) x C*kh*kw
                Shape w = ((Tensor) args[1]).shape();
                yield 2.0 * result.shape().numel() * w.dim(1) * w.dim(2) * w.dim(3);
            }
            case "conv2dDivide" -> { // (numerator, x, weight, ...): out x C*kh*kw
                Shape w = ((Tensor) args[2]).shape();
                yield 2.0 * result.shape().numel() * w.dim(1) * w.dim(2) * w.dim(3);
            }
            case "conv2dBackwardInput" -> { // gradOut (N,O,Ho,Wo) x C*kh*kw
                Shape w = ((Tensor) args[1]).shape();
                yield 2.0 * ((Tensor) args[0]).shape().numel() * w.dim(1) * w.dim(2) * w.dim(3);
            }
            case "conv2dBackwardInputTimes", "conv2dBackwardInputTimesPlus" -> {
                // (factor, gradOut, weight, ...): gradOut x C*kh*kw
                Shape w = ((Tensor) args[2]).shape();
                yield 2.0 * ((Tensor) args[1]).shape().numel() * w.dim(1) * w.dim(2) * w.dim(3);
            }
            case "conv2dBackwardWeight" -> // gradOut (N,O,Ho,Wo) x C*kh*kw = result (O,C,kh,kw) x N*Ho*Wo
                2.0 * result.shape().numel() * ((Tensor) args[0]).shape().size(2, 4)
                        * ((Tensor) args[0]).shape().dim(0);
            case "linear" -> 2.0 * result.shape().numel() * ((Tensor) args[1]).shape().dim(1);
            case "matmul" -> { // (M,N) x K, K read from a (transposed or not)
                Shape a = ((Tensor) args[0]).shape();
                yield 2.0 * result.shape().numel() * ((Boolean) args[2] ? a.dim(0) : a.dim(1));
            }
            default -> 0;
        };
    }

    /** Tensor arguments' shapes, then the results': {@code (12,64,81,81) (64,64,3,3) -> (12,64,81,81)}. */
    private static String shapes(Object[] args, Tensor[] results) {
        StringBuilder sb = new StringBuilder();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof Tensor t) {
                sb.append(t.shape()).append(' ');
            }
        }
        sb.append("->");
        for (Tensor r : results) {
            sb.append(' ').append(r.shape());
        }
        return sb.toString();
    }

    /** Every op call so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The ops by descending time. */
    public List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        nanosAndCalls.forEach((op, t) -> list.add(new Entry(op, t[1], t[0] / 1e9, flops.getOrDefault(op, 0.0))));
        list.sort(Comparator.comparingDouble(Entry::seconds).reversed());
        return list;
    }

    public double totalSeconds() {
        return entries().stream().mapToDouble(Entry::seconds).sum();
    }
}
