package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.java.JavaDevice;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceRaceTest {
    private static final JavaDevice JAVA = new JavaDevice(2);

    /** {@link #JAVA} under another name, sleeping {@code delayMs} in every conv2d and counting the calls. */
    private static Device disguised(String name, long delayMs, AtomicInteger convs) {
        return (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return name;
                    }
                    if (method.getName().equals("conv2d")) {
                        convs.incrementAndGet();
                        Thread.sleep(delayMs);
                    }
                    try {
                        return method.invoke(JAVA, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void picksTheFasterDeviceAndRemembersIt(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("sub").resolve("device-speed.properties");
        AtomicInteger slowConvs = new AtomicInteger();
        AtomicInteger fastConvs = new AtomicInteger();
        List<Device> devices = List.of(disguised("slow one", 300, slowConvs), disguised("fast one", 0, fastConvs));
        assertEquals(1, new DeviceRace(cache).fastest(devices));
        assertEquals(12, slowConvs.get(), "one warm-up and three timed runs of three convolutions");
        assertEquals(12, fastConvs.get());
        String text = Files.readString(cache);
        assertTrue(text.contains("slow_one") && text.contains("fast_one"), text);

        assertEquals(1, new DeviceRace(cache).fastest(devices), "the cached verdict");
        assertEquals(12, slowConvs.get(), "nothing measured again");
        assertEquals(12, fastConvs.get());

        // another set of contenders is measured afresh, all of them in one sitting
        AtomicInteger thirdConvs = new AtomicInteger();
        assertEquals(0, new DeviceRace(cache).fastest(List.of(devices.get(1), disguised("third", 300, thirdConvs))));
        assertEquals(24, fastConvs.get());
        assertEquals(12, thirdConvs.get());
    }

    @Test
    void aCorruptCacheIsMeasuredAgainAndRewritten(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("device-speed.properties");
        Files.writeString(cache, "\\u00zz broken = not a number\n");
        AtomicInteger convs = new AtomicInteger();
        assertEquals(0, new DeviceRace(cache).fastest(List.of(disguised("only", 0, convs))));
        assertEquals(12, convs.get());
        assertTrue(Files.readString(cache).contains("only"));
    }
}
