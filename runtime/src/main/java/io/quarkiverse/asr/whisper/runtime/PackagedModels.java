package io.quarkiverse.asr.whisper.runtime;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

import io.quarkus.bootstrap.runner.QuarkusEntryPoint;
import io.quarkus.runtime.LaunchMode;

/**
 * Model files that the build put into a fast-jar application, in {@code quarkus-app/asr-models/}, so that it runs on
 * machines without the files it was built with.
 */
public final class PackagedModels {

    /** The folder, beside {@code quarkus-run.jar}. */
    public static final String FOLDER = "asr-models";

    private PackagedModels() {
    }

    /** The packaged model named {@code fileName}, when this process runs a packaged application that has it. */
    static Optional<Path> find(String fileName) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return Optional.empty();
        }
        return applicationFolder().map(folder -> folder.resolve(FOLDER).resolve(fileName)).filter(Files::isRegularFile);
    }

    /** {@code quarkus-app/}, found as the fast-jar runner finds it: three levels above its own jar in lib/boot/. */
    private static Optional<Path> applicationFolder() {
        CodeSource source = QuarkusEntryPoint.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path jar = Path.of(source.getLocation().toURI());
            return Optional.ofNullable(jar.getParent()).map(Path::getParent).map(Path::getParent);
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file on disk: not a fast-jar
            return Optional.empty();
        }
    }
}
