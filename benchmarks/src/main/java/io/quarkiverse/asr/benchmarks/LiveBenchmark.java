package io.quarkiverse.asr.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkiverse.asr.spi.streaming.LiveTranscriber;
import io.quarkiverse.asr.spi.streaming.WindowTranscriber;
import io.quarkiverse.asr.spi.vad.SileroVad;
import io.quarkiverse.asr.spi.vad.SpeechSegment;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.runtime.ComputeBackend;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperSettings;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Live transcription measured through the whisper provider: each file is replayed at real-time pace and as fast as
 * the stream takes it, with and without VAD gating, and the harness prints a Markdown table of
 * <ul>
 * <li>the latency from the moment the audio holding the end of a word was given to the stream until the
 * {@code Final} event confirming that word arrived (mean and 90th percentile; word ends are the engine's own
 * times);</li>
 * <li>the real-time factor (wall time from the first chunk to the {@code End} event over the audio's length);</li>
 * <li>the longest window the engine was given (the buffer);</li>
 * <li>the process CPU time per second of audio;</li>
 * <li>the word error rate of the streamed transcript against the offline transcription of the same file by the same
 * provider, and against the reference text where there is one.</li>
 * </ul>
 * Windows go through {@link WindowTranscriber#of} (a file transcription of each window), so that the harness sees
 * each one. The latencies per word go to {@code latencies.csv} and are drawn by {@link LatencyPlot} into
 * {@code latencies.png}, both in the work folder. See {@code docs/live-transcription.md#measured}.
 */
public final class LiveBenchmark {

    private static final int RATE = WhisperAsrProvider.SAMPLE_RATE;

    private record Clip(String name, float[] samples, Optional<String> reference) {
        double seconds() {
            return samples.length / (double) RATE;
        }
    }

    /** How a stream is gated and confirmed. */
    private enum Mode {
        NO_VAD("off"),
        VAD("on"),
        VAD_UTTERANCE_FINALS("on, utterance finals");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        StreamingOptions apply(StreamingOptions options) {
            return options.toBuilder().vad(this != NO_VAD).utteranceFinals(this == VAD_UTTERANCE_FINALS).build();
        }
    }

    private record Offline(String text, Optional<Double> werReference) {
    }

    private record Result(String clip, String pace, Mode mode, List<Double> latencies, double realTimeFactor,
            double peakBuffer, double cpuPerAudioSecond, double werOffline, Optional<Double> werReference,
            Optional<Double> offlineWerReference) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--shared", "../shared", "--chunk-ms", "100",
                "--threads", "1", "--work", "benchmarks/target/live", "--clips", "long-form.wav,jfk.wav",
                "--modes", "NO_VAD,VAD,VAD_UTTERANCE_FINALS", "--paces", "real-time,fast"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path shared = Path.of(options.get("--shared"));
        Path model = Optional.ofNullable(options.get("--model")).or(() -> Optional.ofNullable(
                System.getenv("WHISPER_TEST_MODEL"))).map(Path::of)
                .orElse(shared.resolve("models/for-tests-ggml-espeak-mini.en.bin"));
        boolean espeak = model.getFileName().toString().contains("espeak");
        // the espeak mini model was trained on windows of at most ~10 s
        StreamingOptions streaming = StreamingOptions.builder()
                .decoding(TranscriptionOptions.builder().language("en").temperature(0f).build())
                .minChunk(Duration.ofSeconds(1))
                .bufferTrimming(Duration.ofSeconds(espeak ? 5 : 15)).maxBuffer(Duration.ofSeconds(espeak ? 10 : 30))
                .build();
        int chunkMillis = Integer.parseInt(options.get("--chunk-ms"));
        List<String> clipNames = List.of(options.get("--clips").split(","));
        List<Clip> clips = new ArrayList<>();
        if (clipNames.contains("long-form.wav")) {
            clips.add(new Clip("long-form.wav", decode(shared.resolve("audio/synthetic/long-form.wav")),
                    Optional.of(reference(shared.resolve("audio/synthetic/long-form.tsv")))));
        }
        if (clipNames.contains("jfk.wav")) {
            clips.add(new Clip("jfk.wav", decode(shared.resolve("audio/jfk.wav")), Optional.empty()));
        }
        List<Mode> modes = Arrays.stream(options.get("--modes").split(",")).map(Mode::valueOf).toList();
        List<String> paces = List.of(options.get("--paces").split(","));
        Path nativeCache = Path.of(options.get("--work"), "native-cache");
        Path vadModel = shared.resolve("models/ggml-silero-v6.2.0.bin");
        WhisperSettings settings = new WhisperSettings(Optional.empty(), Optional.of(nativeCache), ComputeBackend.CPU,
                0, Optional.empty(), true, 1, 1, Optional.empty(), Integer.parseInt(options.get("--threads")),
                TranscriptionOptions.defaults());
        PrintStream out = System.out;
        List<Result> results = new ArrayList<>();
        try (WhisperAsrProvider provider = WhisperAsrProvider.create(model, settings);
                SileroVad vad = SileroVad.load(vadModel)) {
            out.printf("model %s, whisper.cpp %s, %d thread(s), %d ms chunks, %s%n", model.getFileName(),
                    provider.info().details().get("libraryVersion"), settings.threads(), chunkMillis, streaming);
            out.printf("offline: %s%n", espeak ? "each VAD utterance transcribed as a file" : "the file transcribed");
            for (Clip clip : clips) {
                String text = espeak ? offlineByUtterance(provider, vad, clip.samples(), streaming)
                        : provider.transcribe(AudioInput.ofSamples(clip.samples(), RATE), streaming.decoding())
                                .await().indefinitely().text();
                Offline offline = new Offline(text,
                        clip.reference().map(ref -> WordErrorRate.of(ref, text).wer()));
                out.printf("offline %s: %s%n", clip.name(), text.strip());
                for (String pace : paces) {
                    for (Mode mode : modes) {
                        results.add(replay(provider, vad, clip, mode, mode.apply(streaming), pace.equals("real-time"),
                                chunkMillis, offline, out));
                    }
                }
            }
        }
        out.println();
        out.println("| file | pace | VAD | words | mean latency (s) | p90 latency (s) | real-time factor | peak buffer (s) "
                + "| CPU s per audio s | WER vs offline | WER vs reference | offline WER vs reference |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            out.printf("| %s | %s | %s | %d | %.2f | %.2f | %.2f | %.1f | %.2f | %.3f | %s | %s |%n", r.clip(),
                    r.pace(), r.mode().label, r.latencies().size(), mean(r.latencies()),
                    r.latencies().isEmpty() ? Double.NaN : Stats.percentile(r.latencies(), 90), r.realTimeFactor(),
                    r.peakBuffer(), r.cpuPerAudioSecond(), r.werOffline(),
                    r.werReference().map(w -> String.format("%.3f", w)).orElse("–"),
                    r.offlineWerReference().map(w -> String.format("%.3f", w)).orElse("–"));
        }
        Path csv = Path.of(options.get("--work"), "latencies.csv");
        Files.createDirectories(csv.getParent());
        List<String> lines = new ArrayList<>(List.of("file,pace,vad,latency_s"));
        // the plot compares VAD off and on with agreement; utterance finals are in the table only
        results.stream().filter(r -> r.mode() != Mode.VAD_UTTERANCE_FINALS).forEach(r -> r.latencies().forEach(
                l -> lines.add(r.clip() + "," + r.pace() + "," + (r.mode() == Mode.VAD) + "," + l)));
        Files.write(csv, lines);
        out.println("latencies per word: " + csv);
        Path png = csv.resolveSibling("latencies.png");
        LatencyPlot.write(csv, png);
        out.println("latency plot: " + png);
        // Mutiny's tick executor keeps the JVM alive
        System.exit(0);
    }

    private static Result replay(WhisperAsrProvider provider, SileroVad vad, Clip clip, Mode mode,
            StreamingOptions options, boolean realTime, int chunkMillis, Offline offline, PrintStream out) {
        int chunk = RATE * chunkMillis / 1000;
        int chunks = (clip.samples().length + chunk - 1) / chunk;
        // when each chunk was handed to the stream, nanoTime
        AtomicLongArray given = new AtomicLongArray(chunks);
        AtomicInteger peak = new AtomicInteger();
        WindowTranscriber windows = WindowTranscriber.of(provider, options.decoding());
        WindowTranscriber watched = (samples, prompt) -> {
            peak.accumulateAndGet(samples.length, Math::max);
            return windows.transcribe(samples, prompt);
        };
        // real time: a chunk every chunk length, as a capture delivers them, buffered while the stream waits
        Duration every = Duration.ofMillis(chunkMillis);
        Multi<Long> indices = realTime
                ? Multi.createFrom().ticks().startingAfter(every).every(every).select().first(chunks)
                : Multi.createFrom().range(0, chunks).map(Long::valueOf);
        long start = System.nanoTime();
        Multi<AudioChunk> audio = indices.map(index -> {
            int i = index.intValue();
            int from = i * chunk;
            float[] samples = Arrays.copyOfRange(clip.samples(), from, Math.min(from + chunk, clip.samples().length));
            given.set(i, System.nanoTime());
            return new AudioChunk(samples, RATE);
        });
        if (realTime) {
            audio = audio.onOverflow().buffer(chunks);
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        StringBuilder text = new StringBuilder();
        long cpuBefore = processCpuNanos();
        List<TranscriptEvent> events = LiveTranscriber.transcribe(audio, watched, options,
                Infrastructure.getDefaultExecutor(), vad, VadParameters.defaults())
                .onItem().invoke(event -> {
                    if (event instanceof TranscriptEvent.Final f) {
                        long now = System.nanoTime();
                        text.append(f.text());
                        for (Word w : f.words()) {
                            int index = (int) Math.min(chunks - 1, w.end().toNanos() / (chunkMillis * 1_000_000L));
                            latencies.add((now - given.get(index)) / 1e9);
                        }
                    }
                }).collect().asList().await().indefinitely();
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        if (!(events.getLast() instanceof TranscriptEvent.End)) {
            throw new IllegalStateException("the stream did not end with End: " + events.getLast());
        }
        String pace = realTime ? "real time" : "as fast as possible";
        out.printf("%s, %s, VAD %s: %s%n", clip.name(), pace, mode.label, text.toString().strip());
        return new Result(clip.name(), pace, mode, latencies, wall / clip.seconds(), peak.get() / (double) RATE,
                cpu / clip.seconds(), WordErrorRate.of(offline.text(), text.toString()).wer(),
                clip.reference().map(ref -> WordErrorRate.of(ref, text.toString()).wer()), offline.werReference());
    }

    /**
     * Offline for a model that hears at most ~10 s at once (its 30 s windows give mostly repeated fragments): the
     * utterances that VAD finds with the stream's end-of-utterance silence, each at most {@code maxBuffer} long and
     * transcribed on its own, the texts joined.
     */
    private static String offlineByUtterance(WhisperAsrProvider provider, SileroVad vad, float[] samples,
            StreamingOptions streaming) {
        VadParameters d = VadParameters.defaults();
        VadParameters utterances = new VadParameters(d.threshold(), d.minSpeechDurationMs(),
                (int) streaming.vadSilence().toMillis(), streaming.maxBuffer().toSeconds(), d.speechPadMs());
        StringBuilder text = new StringBuilder();
        for (SpeechSegment speech : vad.detectSpeech(samples, utterances)) {
            float[] utterance = Arrays.copyOfRange(samples, (int) (speech.start() * RATE),
                    Math.min(samples.length, (int) (speech.end() * RATE)));
            text.append(' ').append(provider.transcribe(AudioInput.ofSamples(utterance, RATE), streaming.decoding())
                    .await().indefinitely().text().strip());
        }
        return text.toString().strip();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static float[] decode(Path file) {
        return AudioInput.of(file).decode(RATE).samples();
    }

    /** The sentences of {@code long-form.tsv} (start, end, text), joined. */
    private static String reference(Path tsv) throws IOException {
        StringBuilder text = new StringBuilder();
        Files.readAllLines(tsv).stream().skip(1).forEach(line -> text.append(line.split("\t", 3)[2]).append(' '));
        return text.toString().strip();
    }
}
