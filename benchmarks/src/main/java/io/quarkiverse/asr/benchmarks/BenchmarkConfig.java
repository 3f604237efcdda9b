package io.quarkiverse.asr.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;

/**
 * What {@link WhisperBenchmarks} measures, from {@code --name value} arguments.
 *
 * @param model the ggml model {@code --model}, else {@code WHISPER_TEST_MODEL}, else empty for a generated random-weight
 *        model
 * @param dims the dimensions of the generated model: {@code tiny} (those of whisper's tiny model) or {@code small8mb}
 *        (the 8 MB default of the tests)
 * @param shared the shared test data folder (audio, template models)
 * @param work where the generated model, the compiled C program and sample files go
 * @param threads whisper.cpp threads per transcription, on both sides
 * @param rounds interleaved rounds of the FFM-versus-C and subprocess measurements
 * @param runs transcriptions per side and round in the FFM-versus-C measurement
 * @param requests requests per concurrency level in the throughput measurement
 * @param concurrency the provider's {@code max-concurrent-requests} levels to measure
 */
record BenchmarkConfig(Optional<Path> model, String dims, Path shared, Path work, int threads, int rounds, int runs,
        int requests, List<Integer> concurrency) {

    static final String USAGE = "usage: WhisperBenchmarks [--model PATH] [--dims tiny|small8mb] [--shared DIR]"
            + " [--work DIR] [--threads N] [--rounds N] [--runs N] [--requests N] [--concurrency 1,2,4]";

    /** @param testModel the value of {@code WHISPER_TEST_MODEL}, or null */
    static BenchmarkConfig parse(String testModel, String... args) {
        Optional<Path> model = Optional.ofNullable(testModel).filter(s -> !s.isBlank()).map(Path::of);
        String dims = "tiny";
        Path shared = Path.of(System.getProperty("asr.shared.dir", "../shared"));
        Path work = Path.of("target", "benchmarks");
        int threads = 1;
        int rounds = 5;
        int runs = 3;
        int requests = 8;
        List<Integer> concurrency = List.of(1, 2, 4);
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(USAGE);
        }
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = Optional.of(Path.of(value));
                case "--dims" -> dims = value;
                case "--shared" -> shared = Path.of(value);
                case "--work" -> work = Path.of(value);
                case "--threads" -> threads = positive(value);
                case "--rounds" -> rounds = positive(value);
                case "--runs" -> runs = positive(value);
                case "--requests" -> requests = positive(value);
                case "--concurrency" -> concurrency = Arrays.stream(value.split(",")).map(BenchmarkConfig::positive).toList();
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; " + USAGE);
            }
        }
        BenchmarkConfig config = new BenchmarkConfig(model, dims, shared.toAbsolutePath().normalize(),
                work.toAbsolutePath().normalize(), threads, rounds, runs, requests, concurrency);
        config.generatedDims();
        return config;
    }

    private static int positive(String value) {
        int number = Integer.parseInt(value.strip());
        if (number < 1) {
            throw new IllegalArgumentException("Expected a number of at least 1: " + value);
        }
        return number;
    }

    /** The dimensions of the generated model. */
    RandomWeightModel.Dims generatedDims() {
        return switch (dims) {
            case "tiny" -> new RandomWeightModel.Dims(384, 6, 4, 384, 6, 4);
            case "small8mb" -> RandomWeightModel.Dims.DEFAULT;
            default -> throw new IllegalArgumentException("--dims is tiny or small8mb, not " + dims);
        };
    }
}
