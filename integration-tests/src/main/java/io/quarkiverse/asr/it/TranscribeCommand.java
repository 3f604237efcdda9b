package io.quarkiverse.asr.it;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * With arguments, the command-line transcriber ({@link Transcribe}) and its exit status; without, serves the HTTP API
 * until stopped.
 */
@QuarkusMain
public class TranscribeCommand implements QuarkusApplication {

    /**
     * {@link Transcribe}, the application's only command, with its injected fields, from Quarkus' picocli; created only
     * with arguments, so that serving HTTP does not load picocli (its classes are too old for the JVM's AOT cache).
     */
    @Inject
    Instance<CommandLine> command;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        CommandLine transcribe = command.get();
        transcribe.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n")
                .exitCodeList(ExitStatus.described());
        return transcribe.execute(args);
    }
}
