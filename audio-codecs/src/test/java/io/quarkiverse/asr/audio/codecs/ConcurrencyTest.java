package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.audio.AudioDecoder;

/** One decoder instance per format, shared by many threads at once, gives the same samples as a lone decode. */
class ConcurrencyTest {

    @Test
    void concurrentDecodesAgree() throws Exception {
        String[] files = { "jfk.mp3", "jfk.flac", "jfk.ogg", "jfk.m4a", "jfk.webm" };
        List<byte[]> data = new ArrayList<>();
        List<AudioDecoder> decoders = new ArrayList<>();
        for (String f : files) {
            byte[] d = TestAudio.read(TestAudio.audio("formats/" + f));
            data.add(d);
            decoders.add(TestAudio.accepting(d).get(0));
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < threads * 2; i++) {
                int k = i % files.length;
                results.add(pool.submit(() -> {
                    start.await();
                    return decoders.get(k).decode(data.get(k)).samples();
                }));
            }
            start.countDown();
            for (int i = 0; i < results.size(); i++) {
                int k = i % files.length;
                float[] expected = decoders.get(k).decode(data.get(k)).samples();
                assertThat(Arrays.equals(results.get(i).get(60, TimeUnit.SECONDS), expected)).as(files[k]).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
