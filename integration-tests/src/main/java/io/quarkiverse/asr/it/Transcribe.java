package io.quarkiverse.asr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkiverse.asr.openai.server.runtime.ResponseFormat;
import io.quarkiverse.asr.openai.server.runtime.TranscriptFormats;
import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.runtime.ComputeBackend;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperSettings;
import io.smallrye.mutiny.Uni;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The command-line transcriber, with the options whisper.cpp's {@code whisper-cli} users know. */
@Command(name = "transcribe", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Transcribes audio files (WAV, MP3, FLAC, Ogg Opus/Vorbis, M4A/AAC, WebM) with the application's "
                + "speech-to-text provider. Without --output-format, prints a heading and the text of each file.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  transcribe ../shared/audio/synthetic/s01.wav",
                "      prints the transcript of one file",
                "  transcribe -of srt -o subtitles talk.mp3 interview.flac",
                "      writes subtitles/talk.mp3.srt and subtitles/interview.flac.srt",
                "  transcribe -m ggml-base.bin -l auto -tr -of txt,vtt lecture.wav",
                "      translates into English with another model, printing the text and WebVTT",
                "  transcribe -of verbose-json -wt -t 8 meeting.webm > meeting.json",
                "      segments and words with their times, decoded on 8 threads",
                "  transcribe --vad -vm ggml-silero-v6.2.0.bin -of srt voicemail.ogg",
                "      subtitles of the speech only, skipping the silence, times on the file's timeline" })
@Dependent
public class Transcribe implements Callable<Integer> {

    /** The output formats, each written by the OpenAI-compatible API's {@link TranscriptFormats}. */
    enum OutputFormat {
        TXT("txt", ResponseFormat.TEXT),
        SRT("srt", ResponseFormat.SRT),
        VTT("vtt", ResponseFormat.VTT),
        JSON("json", ResponseFormat.JSON),
        VERBOSE_JSON("verbose.json", ResponseFormat.VERBOSE_JSON);

        final String extension;
        final ResponseFormat format;

        OutputFormat(String extension, ResponseFormat format) {
            this.extension = extension;
            this.format = format;
        }
    }

    static final class FormatConverter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not one of txt, srt, vtt, json, verbose-json");
            }
        }
    }

    @Spec
    CommandSpec spec;

    @Inject
    AsrProvider asr;

    @ConfigProperty(name = "quarkus.asr.whisper.library-path")
    Optional<Path> libraryPath;

    @ConfigProperty(name = "quarkus.asr.whisper.native-cache-dir")
    Optional<Path> nativeCacheDir;

    @ConfigProperty(name = "quarkus.asr.whisper.vad.model-path")
    Optional<Path> configuredVadModel;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the audio files to transcribe")
    List<Path> files;

    @Option(names = { "-m", "--model" }, paramLabel = "FILE",
            description = "a ggml whisper model to use instead of the application's (whisper provider)")
    Path model;

    @Option(names = { "-l", "--language" }, paramLabel = "LANG",
            description = "the spoken language (en, de...) or auto to detect it; default: the provider's")
    String language;

    @Option(names = { "-tr", "--translate" }, description = "translate the speech into English")
    boolean translate;

    @Option(names = { "-of", "--output-format" }, paramLabel = "FORMAT", split = ",",
            converter = FormatConverter.class,
            description = "txt, srt, vtt, json or verbose-json; several separated by commas")
    List<OutputFormat> formats;

    @Option(names = { "-o", "--output-dir" }, paramLabel = "DIR",
            description = "write DIR/<file name>.<format> for each file instead of printing it")
    Path outputDir;

    @Option(names = { "-wt", "--word-timestamps" }, description = "words with their own times (verbose-json)")
    boolean wordTimestamps;

    @Option(names = { "-t", "--threads" }, paramLabel = "N",
            description = "CPU threads of the decoder (whisper provider); default: the application's")
    Integer threads;

    @Option(names = "--vad", description = "decode only the speech that voice activity detection finds (needs a VAD"
            + " model: --vad-model or the application's quarkus.asr.whisper.vad.model-path)")
    boolean vad;

    @Option(names = { "-vm", "--vad-model" }, paramLabel = "FILE",
            description = "the Silero VAD model for --vad, e.g. ggml-silero-v6.2.0.bin (whisper provider)")
    Path vadModel;

    @Option(names = "--progress", negatable = true,
            description = "a progress bar on stderr; by default only when stderr is a terminal")
    Boolean progress;

    @Override
    public Integer call() {
        if (outputDir != null && formats == null) {
            throw new ParameterException(spec.commandLine(), "--output-dir needs --output-format");
        }
        if (vadModel != null && !vad) {
            throw new ParameterException(spec.commandLine(), "--vad-model needs --vad");
        }
        if (vad && vadModel == null && configuredVadModel.isEmpty() && asr instanceof WhisperAsrProvider) {
            throw new ParameterException(spec.commandLine(),
                    "--vad needs a VAD model: --vad-model FILE or quarkus.asr.whisper.vad.model-path");
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        TranscriptionOptions options;
        try {
            options = TranscriptionOptions.builder().language(language).translate(translate ? true : null)
                    .timestamps(true).wordTimestamps(wordTimestamps ? true : null).vad(vad ? true : null).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        WhisperAsrProvider own;
        try {
            own = ownProvider();
        } catch (AsrException e) {
            System.err.println(e.getMessage());
            return ExitStatus.of(e).code;
        }
        try {
            ExitStatus status = ExitStatus.OK;
            for (Path file : files) {
                ExitStatus result = transcribe(own != null ? own : asr, file, options);
                status = status == ExitStatus.OK ? result : status;
            }
            return status.code;
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    /**
     * A provider of the command's own for {@code --model}, {@code --threads} and {@code --vad-model}, else
     * {@code null}. It keeps the application's VAD model unless {@code --vad-model} names another.
     */
    private WhisperAsrProvider ownProvider() {
        if (model == null && threads == null && vadModel == null) {
            return null;
        }
        if (!(asr instanceof WhisperAsrProvider whisper)) {
            throw new ParameterException(spec.commandLine(), "--model, --threads and --vad-model need the whisper"
                    + " provider, not " + asr.info().name());
        }
        WhisperSettings defaults = WhisperSettings.defaults();
        WhisperSettings settings = new WhisperSettings(libraryPath, nativeCacheDir, ComputeBackend.AUTO, 0, Optional.empty(),
                true, 1, 0, Optional.empty(), threads != null ? threads : defaults.threads(), defaults.decoding());
        Optional<Path> vadFile = Optional.ofNullable(vadModel).or(() -> configuredVadModel);
        return WhisperAsrProvider.create(model != null ? model : whisper.modelFile(),
                vadFile.map(file -> settings.withVad(file, VadParameters.defaults())).orElse(settings));
    }

    private ExitStatus transcribe(AsrProvider provider, Path file, TranscriptionOptions options) {
        Transcript transcript;
        try (ProgressBar bar = showProgress() ? new ProgressBar(System.err, String.valueOf(file.getFileName())) : null) {
            Uni<Transcript> work = provider instanceof WhisperAsrProvider whisper
                    ? whisper.transcribe(AudioInput.of(file), options, bar)
                    : provider.transcribe(AudioInput.of(file), options);
            transcript = work.await().indefinitely();
            if (bar != null) {
                bar.done();
            }
        } catch (AsrException e) {
            System.err.println(file + ": " + e.getMessage());
            return ExitStatus.of(e);
        }
        if (formats == null) {
            System.out.printf(Locale.ROOT, "%s [%s, %.1f s, %d segments]%n", file, transcript.language(),
                    transcript.duration().toMillis() / 1000.0, transcript.segments().size());
            System.out.println(transcript.text().isEmpty()
                    ? "(no text: " + provider.info().model() + " produced none; test-sized models never do, a trained"
                            + " model such as ggml-tiny.en.bin does)"
                    : transcript.text());
            return ExitStatus.OK;
        }
        TranscriptFormats.Verbose verbose = new TranscriptFormats.Verbose(translate ? "translate" : "transcribe",
                options.language().filter(code -> !code.equals(TranscriptionOptions.AUTO_LANGUAGE)).orElse(null),
                0, wordTimestamps);
        for (OutputFormat format : formats) {
            String rendered = TranscriptFormats.render(format.format, transcript, verbose);
            if (outputDir == null) {
                System.out.print(rendered.endsWith("\n") ? rendered : rendered + "\n");
                continue;
            }
            Path target = outputDir.resolve(file.getFileName() + "." + format.extension);
            try {
                Files.createDirectories(outputDir);
                Files.writeString(target, rendered);
            } catch (IOException e) {
                System.err.println(target + ": cannot write: " + e);
                return ExitStatus.OUTPUT;
            }
            System.out.println(target);
        }
        return ExitStatus.OK;
    }

    private boolean showProgress() {
        return progress != null ? progress : System.console() != null && System.console().isTerminal();
    }
}
