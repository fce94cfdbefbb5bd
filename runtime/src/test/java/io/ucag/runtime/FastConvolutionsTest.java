package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** FastConvolutions scopes nest, end when closed (once), and belong to their thread. */
class FastConvolutionsTest {
    @Test
    void scopesNestAndEnd() throws InterruptedException {
        assertFalse(FastConvolutions.allowed());
        try (FastConvolutions outer = FastConvolutions.allow()) {
            try (FastConvolutions inner = FastConvolutions.allow()) {
                assertTrue(FastConvolutions.allowed());
                inner.close(); // closing twice counts once
            }
            assertTrue(FastConvolutions.allowed(), "the outer scope is still open");
            assertFalse(AlignedPlanes.allowed(), "scopes of another kind are counted apart");
            try (AlignedPlanes aligned = AlignedPlanes.allow()) {
                assertTrue(AlignedPlanes.allowed());
            }
            assertFalse(AlignedPlanes.allowed());
            AtomicBoolean elsewhere = new AtomicBoolean(true);
            Thread other = new Thread(() -> elsewhere.set(FastConvolutions.allowed()));
            other.start();
            other.join();
            assertFalse(elsewhere.get(), "another thread is not inside this thread's scope");
        }
        assertFalse(FastConvolutions.allowed());
    }

    @Test
    void onlyTheOpeningThreadCloses() throws InterruptedException {
        try (FastConvolutions scope = FastConvolutions.allow()) {
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    scope.close();
                } catch (IllegalStateException e) {
                    thrown[0] = e;
                }
            });
            other.start();
            other.join();
            assertTrue(thrown[0] instanceof IllegalStateException);
            assertTrue(FastConvolutions.allowed());
        }
        assertFalse(FastConvolutions.allowed());
    }
}
