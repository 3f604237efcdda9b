package io.quarkiverse.asr.deployment;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.quarkus.builder.BuildChainBuilder;
import io.quarkus.builder.BuildContext;
import io.quarkus.builder.BuildStep;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;

/**
 * Stands in for provider extensions in the build: build steps that announce candidates, and one that publishes the
 * selection as the configuration property {@value #SELECTED} for the test to read.
 * <p>
 * The steps are classes of their own, not lambdas: this class is loaded again by the application's class loader,
 * where build items are not build items, and only classes that are never loaded there may use them.
 */
final class TestProviders {

    static final String SELECTED = "test.asr.selected-provider";

    private TestProviders() {
    }

    /** @param candidates provider id to the names of its named configurations */
    static Consumer<BuildChainBuilder> present(Map<String, Set<String>> candidates) {
        return chain -> {
            candidates.forEach((provider, names) -> chain.addBuildStep(new Announce(provider, names))
                    .produces(AsrProviderCandidateBuildItem.class)
                    .build());
            chain.addBuildStep(new Publish())
                    .consumes(SelectedAsrProviderBuildItem.class)
                    .produces(RunTimeConfigurationDefaultBuildItem.class)
                    .build();
        };
    }

    private record Announce(String provider, Set<String> names) implements BuildStep {
        @Override
        public void execute(BuildContext context) {
            context.produce(AsrProviderCandidateBuildItem.local(provider, false, names));
        }
    }

    private static final class Publish implements BuildStep {
        @Override
        public void execute(BuildContext context) {
            SelectedAsrProviderBuildItem selected = context.consume(SelectedAsrProviderBuildItem.class);
            context.produce(new RunTimeConfigurationDefaultBuildItem(SELECTED, selected.provider()));
        }
    }
}
