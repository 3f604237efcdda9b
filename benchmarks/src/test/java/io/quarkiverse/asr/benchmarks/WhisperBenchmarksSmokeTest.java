package io.quarkiverse.asr.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram;

/**
 * The harness end to end at its smallest (the 8 MB model, one round, two requests), so that the build keeps it
 * working; the real measurement is run by hand (docs/benchmarks.md).
 */
class WhisperBenchmarksSmokeTest {

    @Test
    void harnessPrintsARowPerMeasurement() throws Exception {
        assumeTrue(WhisperParityProgram.canBuild(), "gcc is not available (or this is not Linux): skipped");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        WhisperBenchmarks.run(BenchmarkConfig.parse(null, "--dims", "small8mb", "--rounds", "1", "--runs", "1",
                "--requests", "2", "--concurrency", "1,2", "--work", "target/smoke"),
                new PrintStream(report, true, StandardCharsets.UTF_8));

        List<String> rows = report.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.matches("\\| (jfk|long-form|\\d+ \\|).*"))
                .toList();
        assertEquals(2 * 2 + 3 * 2 + 2, rows.size(),
                () -> "a row per input in both tables of (a), per clip in both of (b) and per level of (c):\n" + report);
        assertTrue(rows.stream().noneMatch(row -> row.contains("NaN") || row.contains("Infinity")), rows::toString);
    }
}
