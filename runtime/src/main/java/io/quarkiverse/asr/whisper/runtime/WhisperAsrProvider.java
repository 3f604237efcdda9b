package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.quarkiverse.asr.runtime.observability.ProviderTelemetry;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.whisper.natives.ComputeDevice;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.spi.vad.SileroVad;
import io.quarkiverse.asr.spi.vad.SpeechOnlyAudio;
import io.quarkiverse.asr.whisper.natives.WhisperLibrary;
import io.quarkiverse.asr.whisper.natives.WhisperLibraryException;
import io.quarkiverse.asr.whisper.natives.WhisperModelFile;
import io.quarkiverse.asr.whisper.natives.WhisperNativeException;
import io.quarkiverse.asr.whisper.natives.WhisperVad;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The whisper.cpp provider: the SPI over a {@link WhisperEngine}, which holds the model, the decoding states and the
 * worker threads. Work never runs on the caller's thread, so event-loop callers are never blocked.
 */
public final class WhisperAsrProvider implements AsrProvider, AutoCloseable {

    /** The provider id, in {@code quarkus.asr.provider} and {@link ProviderInfo#name()}. */
    public static final String PROVIDER = "whisper";

    /** whisper models take 16 kHz mono audio. */
    public static final int SAMPLE_RATE = 16_000;

    private final WhisperEngine engine;
    private final WhisperSettings settings;
    private final ProviderInfo info;
    /** The Java Silero VAD when a VAD model is configured: live streams, and files where the library has no VAD. */
    private final SileroVad vad;
    /** Whether file transcriptions use whisper.cpp's own VAD (1.7.6 and later). */
    private final boolean libraryVad;
    private final ProviderTelemetry telemetry;

    private WhisperAsrProvider(WhisperEngine engine, WhisperSettings settings, SileroVad vad, boolean libraryVad) {
        this.engine = engine;
        this.settings = settings;
        this.vad = vad;
        this.libraryVad = libraryVad;
        this.info = describe(engine.model(), engine.library(), engine.device(), engine.flashAttention(),
                vad == null ? "none" : libraryVad ? "whisper.cpp" : "java");
        this.telemetry = ProviderTelemetry.of(info);
        engine.observe(telemetry);
    }

    /**
     * Starts the engine: loads the native library, chooses the device the settings ask for and, when
     * {@link WhisperSettings#loadOnStartup()} is set, loads the model.
     *
     * @throws ProviderUnavailableException when the native library cannot be loaded, or lacks the backend or GPU asked
     *         for
     * @throws ModelException when the model or the VAD model cannot be loaded
     */
    public static WhisperAsrProvider create(Path modelFile, WhisperSettings settings) {
        return around(startEngine(modelFile, settings), settings);
    }

    /**
     * The native part of {@link #create}: loads the library and, when {@link WhisperSettings#loadOnStartup()} is set,
     * the model. It touches no CDI bean, so it can run on a thread of its own while the application starts.
     */
    static WhisperEngine startEngine(Path modelFile, WhisperSettings settings) {
        WhisperEngine engine = WhisperEngine.start(modelFile, settings);
        try {
            if (settings.loadOnStartup()) {
                engine.load();
            }
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The rest of {@link #create}: the provider around a started engine, which it closes when it fails. */
    static WhisperAsrProvider around(WhisperEngine engine, WhisperSettings settings) {
        try {
            SileroVad vad = settings.vadModel().map(SileroVad::load).orElse(null);
            return new WhisperAsrProvider(engine, settings, vad, vad != null && hasVad(engine.library(), vad.file()));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Whether the library has whisper.cpp's VAD and takes {@code model}: loading it once tells both. */
    private static boolean hasVad(WhisperLibrary library, Path model) {
        try (WhisperVad probe = library.loadVadModel(model, 1)) {
            return true;
        } catch (WhisperLibraryException e) {
            return false; // before 1.7.6
        } catch (WhisperNativeException e) {
            throw WhisperEngine.translate(e);
        }
    }

    /** The engine, for work beyond the SPI's (live sessions) that shares its model, states and workers. */
    public WhisperEngine engine() {
        return engine;
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    /** The model file this provider loaded. */
    public Path modelFile() {
        return engine.model().file();
    }

    /** Whether the model is in memory. */
    public boolean isModelLoaded() {
        return engine.isModelLoaded();
    }

    /** Transcriptions running now. */
    public int activeTranscriptions() {
        return engine.activeDecodes();
    }

    /**
     * What the health check and the Dev UI report of this provider: model, whether it is loaded, the library and
     * where it computes, and the work in progress.
     */
    public Map<String, Object> healthData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", info.model());
        data.put("modelLoaded", isModelLoaded());
        for (String key : List.of("libraryVersion", "variant", "backend", "device", "systemInfo")) {
            data.put(key, info.details().get(key));
        }
        data.put("activeTranscriptions", activeTranscriptions());
        data.put("decodingStates", engine.decodingStates());
        return data;
    }

    @Override
    public Optional<OverloadedException> overloaded() {
        return engine.overloaded();
    }

    /**
     * With the {@code vad} option, only the speech is decoded (whisper.cpp's VAD where the library has it, the Java
     * Silero VAD otherwise), and times stay on the original audio's timeline.
     */
    @Override
    public Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options) {
        return transcribe(audio, options, null);
    }

    /**
     * {@link #transcribe(AudioInput, TranscriptionOptions)}, telling {@code onProgress} how far through the audio
     * whisper.cpp is, 0 to 100, at the start of each 30 s window (on the worker: keep it short).
     *
     * @param onProgress told the progress, or {@code null}
     */
    public Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options, IntConsumer onProgress) {
        TranscriptionOptions effective = options.withDefaults(settings.decoding());
        if (cannotTranslate(effective)) {
            return telemetry.transcription(audio, effective, Uni.createFrom().failure(translationUnsupported()));
        }
        if (effective.vad().orElse(false) && vad == null) {
            return telemetry.transcription(audio, effective, Uni.createFrom().failure(vadUnavailable()));
        }
        Uni<Transcript> work = engine.once(decoder -> {
            PcmAudio pcm = audio.decode(SAMPLE_RATE, decoder::cancelled);
            List<Segment> segments = new ArrayList<>();
            String language = decode(decoder, pcm, effective, segments::add, onProgress);
            return Transcript.of(language, pcm.duration(), segments);
        });
        return telemetry.transcription(audio, effective, settings.timeout()
                .map(limit -> work.ifNoItem().after(limit).failWith(() -> timedOut(audio, limit)))
                .orElse(work));
    }

    /**
     * Segments are emitted as whisper.cpp finishes them, while it goes on decoding; cancelling the subscription stops
     * the decoder. With {@code quarkus.asr.whisper.timeout} set, the stream fails when no segment arrives for that
     * long.
     */
    @Override
    public Multi<Segment> transcribeSegments(AudioInput audio, TranscriptionOptions options) {
        TranscriptionOptions effective = options.withDefaults(settings.decoding());
        if (cannotTranslate(effective)) {
            return Multi.createFrom().failure(translationUnsupported());
        }
        if (effective.vad().orElse(false) && vad == null) {
            return Multi.createFrom().failure(vadUnavailable());
        }
        Multi<Segment> work = Multi.createFrom().emitter(emitter -> {
            Cancellable decoding = engine.once(
                    decoder -> decode(decoder, audio.decode(SAMPLE_RATE, decoder::cancelled), effective, emitter::emit,
                            null))
                    .subscribe().with(done -> emitter.complete(), emitter::fail);
            emitter.onTermination(decoding::cancel);
        });
        return settings.timeout()
                .map(limit -> work.ifNoItem().after(limit).failWith(() -> timedOut(audio, limit)))
                .orElse(work);
    }

    /**
     * Live transcription through the SPI's online processor (see {@code docs/live-transcription.md}). Each stream
     * holds one engine admission and one decoding state from subscription to its end: a full engine refuses it at
     * subscription with {@link io.quarkiverse.asr.spi.OverloadedException}, never later. Cancelling the subscription
     * aborts the window being decoded. With {@code quarkus.asr.whisper.timeout} set, it bounds each window's decode.
     */
    @Override
    public Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options) {
        TranscriptionOptions effective = options.decoding().withDefaults(settings.decoding());
        if (cannotTranslate(effective)) {
            return Multi.createFrom().failure(translationUnsupported());
        }
        return telemetry.liveSession(audio, input -> WhisperLiveTranscription.transcribe(engine, input, options,
                effective, this::params, settings.timeout(), vad, settings.vadParameters()));
    }

    /**
     * Decodes {@code pcm} on the worker, telling each segment as whisper.cpp finishes it. With VAD and a library
     * without it, the Java detector cuts the speech out first and the segments' times are mapped back.
     *
     * @param onProgress told whisper.cpp's progress, or {@code null}
     * @return the language whisper.cpp used or detected, {@code null} when there was no speech to decode
     */
    private String decode(WhisperEngine.Decoder decoder, PcmAudio pcm, TranscriptionOptions options,
            Consumer<Segment> onSegment, IntConsumer onProgress) {
        boolean words = options.wordTimestamps().orElse(false);
        if (!options.vad().orElse(false)) {
            return decoder.full(pcm.samples(), params(options),
                    s -> onSegment.accept(WhisperResults.toSegment(s, words, pcm.duration())), onProgress).language();
        }
        if (libraryVad) {
            FullParams params = WhisperParams.withVad(options, settings.threads(), vad.file(),
                    settings.vadParameters());
            return decoder.full(pcm.samples(), params,
                    s -> onSegment.accept(WhisperResults.toSegment(s, words, pcm.duration())), onProgress).language();
        }
        SpeechOnlyAudio speech = SpeechOnlyAudio.of(pcm.samples(), vad.detectSpeech(pcm.samples(),
                settings.vadParameters()));
        if (speech.isEmpty()) {
            return null;
        }
        Duration joined = Duration.ofNanos(speech.samples().length * 1_000_000_000L / SAMPLE_RATE);
        return decoder.full(speech.samples(), params(options),
                s -> onSegment.accept(speech.toOriginal(WhisperResults.toSegment(s, words, joined))), onProgress)
                .language();
    }

    /** On the worker, so that a value whisper.cpp refuses fails the transcription rather than the caller. */
    private FullParams params(TranscriptionOptions options) {
        return WhisperParams.of(options, settings.threads());
    }

    private static UnsupportedFeatureException vadUnavailable() {
        return new UnsupportedFeatureException(
                "Voice activity detection needs a VAD model: set quarkus.asr.whisper.vad.model-path");
    }

    /** whisper.cpp would transcribe instead: English-only models have no translation task. */
    private boolean cannotTranslate(TranscriptionOptions options) {
        return options.translate().orElse(false) && !info.supports(Capability.TRANSLATION);
    }

    private UnsupportedFeatureException translationUnsupported() {
        return new UnsupportedFeatureException("The English-only model " + info.model() + " cannot translate");
    }

    private static TranscriptionTimeoutException timedOut(AudioInput audio, Duration limit) {
        return new TranscriptionTimeoutException("Transcription of " + audio.name() + " took longer than " + limit);
    }

    /** Stops accepting work, aborts transcriptions in progress and frees the model and every state. */
    @Override
    public void close() {
        engine.close();
        if (vad != null) {
            vad.close();
        }
    }

    private static ProviderInfo describe(WhisperModelFile.Header model, WhisperLibrary library, ComputeDevice device,
            boolean flashAttention, String vad) {
        Set<Capability> capabilities = EnumSet.of(Capability.FILE_TRANSCRIPTION, Capability.SEGMENT_TIMESTAMPS,
                Capability.WORD_TIMESTAMPS, Capability.INITIAL_PROMPT, Capability.BEAM_SEARCH, Capability.STREAMING);
        if (model.multilingual()) {
            capabilities.add(Capability.TRANSLATION);
            capabilities.add(Capability.LANGUAGE_DETECTION);
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("library", library.libraryFile().toString());
        details.put("libraryVersion", library.version());
        details.put("variant", library.variant());
        details.put("backend", device.backend());
        details.put("device", device.describe());
        details.put("flashAttention", Boolean.toString(flashAttention));
        details.put("vad", vad);
        details.put("systemInfo", library.systemInfo().strip());
        return new ProviderInfo(PROVIDER, model.file().getFileName().toString(), capabilities, details);
    }
}
