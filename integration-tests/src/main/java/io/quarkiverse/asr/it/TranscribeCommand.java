package io.quarkiverse.asr.it;

import java.nio.file.Path;
import java.util.Locale;

import jakarta.inject.Inject;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * With audio files as arguments, prints their transcripts and exits; without arguments, serves the HTTP API until
 * stopped.
 */
@QuarkusMain
public class TranscribeCommand implements QuarkusApplication {

    @Inject
    AsrProvider asr;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        int status = 0;
        for (String arg : args) {
            Transcript transcript;
            try {
                transcript = asr.transcribe(AudioInput.of(Path.of(arg))).await().indefinitely();
            } catch (AsrException e) {
                System.err.println(arg + ": " + e.getMessage());
                status = 1;
                continue;
            }
            System.out.printf(Locale.ROOT, "%s [%s, %.1f s, %d segments]%n", arg, transcript.language(),
                    transcript.duration().toMillis() / 1000.0, transcript.segments().size());
            System.out.println(transcript.text().isEmpty()
                    ? "(no text: " + asr.info().model() + " produced none; test-sized models never do, a trained model"
                            + " such as ggml-tiny.en.bin does)"
                    : transcript.text());
        }
        return status;
    }
}
