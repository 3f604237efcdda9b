package io.quarkiverse.asr.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency plot drawn from a latency file as {@link LiveBenchmark} writes it. */
class LatencyPlotTest {

    @Test
    void drawsOneRowPerConfigurationWithItsBoxAtItsLatencies(@TempDir Path temp) throws IOException {
        Path csv = temp.resolve("latencies.csv");
        Files.write(csv, List.of("file,pace,vad,latency_s",
                "jfk.wav,real time,false,1.0", "jfk.wav,real time,false,2.0", "jfk.wav,real time,false,3.0",
                "jfk.wav,as fast as possible,true,7.0", "jfk.wav,as fast as possible,true,8.0",
                "jfk.wav,as fast as possible,true,9.0", "jfk.wav,real time,false,4.0"));
        Path png = temp.resolve("latencies.png");

        LatencyPlot.write(csv, png);

        List<LatencyPlot.Series> series = LatencyPlot.read(csv);
        assertEquals(List.of("jfk.wav · real time · VAD off (4 words)",
                "jfk.wav · as fast as possible · VAD on (3 words)"),
                series.stream().map(LatencyPlot.Series::label).toList());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), series.getFirst().latencies());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LatencyPlot.WIDTH, image.getWidth());
        assertEquals(LatencyPlot.TOP + 2 * LatencyPlot.ROW + LatencyPlot.BOTTOM, image.getHeight());
        // the top edge of each row's box runs from its 25th to its 75th percentile, in the row's VAD colour
        int[] first = boxEdge(image, LatencyPlot.TOP + LatencyPlot.ROW / 2, LatencyPlot.VAD_OFF);
        int[] second = boxEdge(image, LatencyPlot.TOP + LatencyPlot.ROW * 3 / 2, LatencyPlot.VAD_ON);
        assertTrue(first[1] < second[0], () -> first[1] + " < " + second[0]);
        // 1.75-3.25 s and 7.5-8.5 s: 1.5 s against 1 s, and 5.75 s between their starts
        double pixelsPerSecond = (second[1] - second[0]) / 1.0;
        assertEquals(1.5 * pixelsPerSecond, first[1] - first[0], 3.0);
        assertEquals(5.75 * pixelsPerSecond, second[0] - first[0], 6.0);
        assertNull(boxEdge(image, LatencyPlot.TOP + LatencyPlot.ROW / 2, LatencyPlot.VAD_ON));
    }

    /** The first and last x of {@code colour} on the line of the top edge of the box of the row centred at {@code y}. */
    private static int[] boxEdge(BufferedImage image, int y, Color colour) {
        int line = y - (int) Math.ceil(LatencyPlot.ROW * 0.22);
        int from = -1;
        int to = -1;
        for (int x = 0; x < image.getWidth(); x++) {
            if ((image.getRGB(x, line) & 0xffffff) == colour.getRGB() - 0xff000000) {
                from = from < 0 ? x : from;
                to = x;
            }
        }
        return from < 0 ? null : new int[] { from, to };
    }

    @Test
    void refusesAFileWithoutTheHeader(@TempDir Path temp) throws IOException {
        Path csv = Files.writeString(temp.resolve("other.csv"), "a,b\n1,2\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyPlot.read(csv));
        assertTrue(e.getMessage().contains("not a latency file"), e.getMessage());
    }
}
