package io.quarkiverse.asr.deployment;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.runtime.configuration.ConfigurationException;

class AsrProcessor {

    private static final String FEATURE = "asr";
    private static final String PROVIDER = "quarkus.asr.provider";
    /** By name: the class refers to Quarkus REST types, which this build step may not load when they are absent. */
    private static final String EXCEPTION_MAPPER = "io.quarkiverse.asr.runtime.AsrExceptionMapper";
    /** By name too: they refer to Micrometer and OpenTelemetry types, loaded only when the application has them. */
    private static final String MICROMETER = "io.quarkiverse.asr.runtime.observability.MicrometerInstrumentation";
    private static final String OPENTELEMETRY = "io.quarkiverse.asr.runtime.observability.OpenTelemetryInstrumentation";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** The qualifier of provider beans must be in the bean archive even when no application class uses it. */
    @BuildStep
    AdditionalBeanBuildItem qualifier() {
        return AdditionalBeanBuildItem.builder().addBeanClass(AsrProviderName.class).build();
    }

    /**
     * With Quarkus REST, endpoints answer the providers' failures by {@code AsrHttpStatus}: the mapper is found in the
     * index. Without it, the mapper is never indexed nor loaded.
     */
    @BuildStep
    void exceptionMapper(Capabilities capabilities, BuildProducer<AdditionalIndexedClassesBuildItem> classes) {
        if (capabilities.isPresent(Capability.REST)) {
            classes.produce(new AdditionalIndexedClassesBuildItem(EXCEPTION_MAPPER));
        }
    }

    /**
     * With Micrometer (and its metrics enabled), the providers' metrics; with OpenTelemetry, a span per transcription.
     * Providers find these beans when they start ({@code ProviderTelemetry}).
     */
    @BuildStep
    void instrumentation(Capabilities capabilities, Optional<MetricsCapabilityBuildItem> metrics,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (metrics.isPresent() && metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(MICROMETER));
        }
        if (capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(OPENTELEMETRY));
        }
    }

    /**
     * Chooses the provider of the default bean: the one {@code quarkus.asr.provider} names, else the only one present.
     */
    @BuildStep
    void selectProvider(AsrBuildConfig config, List<AsrProviderCandidateBuildItem> candidates,
            BuildProducer<SelectedAsrProviderBuildItem> selected) {
        Set<String> available = new TreeSet<>();
        candidates.forEach(candidate -> available.add(candidate.provider()));
        if (config.provider().isPresent()) {
            String provider = config.provider().get().strip();
            if (!available.contains(provider)) {
                throw new ConfigurationException(PROVIDER + "=" + provider + " names no provider of this application; "
                        + "the providers present are: " + String.join(", ", available), Set.of(PROVIDER));
            }
            selected.produce(new SelectedAsrProviderBuildItem(provider));
        } else if (available.size() == 1) {
            selected.produce(new SelectedAsrProviderBuildItem(available.iterator().next()));
        } else if (available.size() > 1) {
            throw new ConfigurationException("Several ASR providers are present (" + String.join(", ", available)
                    + "): set " + PROVIDER + " to the one that backs the default AsrProvider bean, for example "
                    + PROVIDER + "=" + available.iterator().next(), Set.of(PROVIDER));
        }
    }

    /**
     * Configuration names select beans across providers ({@code @AsrProviderName("meetings")}), so one name may not
     * be used by two providers, nor be a provider id, which stands for that provider's unnamed configuration.
     */
    @BuildStep
    void checkNames(List<AsrProviderCandidateBuildItem> candidates, BuildProducer<ValidationErrorBuildItem> errors) {
        Map<String, Set<String>> owners = new TreeMap<>();
        for (AsrProviderCandidateBuildItem candidate : candidates) {
            for (String name : candidate.names()) {
                owners.computeIfAbsent(name, n -> new TreeSet<>()).add(candidate.provider());
            }
        }
        for (AsrProviderCandidateBuildItem candidate : candidates) {
            Set<String> users = owners.get(candidate.provider());
            if (users != null) {
                errors.produce(new ValidationErrorBuildItem(new ConfigurationException("The provider name \""
                        + candidate.provider() + "\" is the id of the " + candidate.provider() + " provider and "
                        + "cannot name a configuration: rename quarkus.asr." + String.join("/", users) + ".\""
                        + candidate.provider() + "\".*")));
            }
        }
        owners.forEach((name, providers) -> {
            if (providers.size() > 1) {
                errors.produce(new ValidationErrorBuildItem(new ConfigurationException("The provider name \"" + name
                        + "\" is configured for several providers (" + String.join(", ", providers) + "); names "
                        + "select beans across providers (@AsrProviderName(\"" + name + "\")) and must be unique")));
            }
        });
    }
}
