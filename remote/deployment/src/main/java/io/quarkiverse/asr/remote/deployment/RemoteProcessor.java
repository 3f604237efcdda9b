package io.quarkiverse.asr.remote.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.ClassType;

import io.quarkiverse.asr.deployment.AsrProviderBeans;
import io.quarkiverse.asr.deployment.AsrProviderCandidateBuildItem;
import io.quarkiverse.asr.deployment.SelectedAsrProviderBuildItem;
import io.quarkiverse.asr.remote.runtime.OpenAiAudioApi;
import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.remote.runtime.RemoteRecorder;
import io.quarkiverse.asr.remote.runtime.WhisperServerApi;
import io.quarkiverse.asr.remote.runtime.devui.RemoteDevUiContributor;
import io.quarkiverse.asr.remote.runtime.health.RemoteHealthCheck;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import io.quarkus.tls.TlsConfigurationRegistry;

class RemoteProcessor {

    private static final String FEATURE = "asr-remote";
    private static final String PREFIX = "quarkus.asr.remote.";
    /** The properties that declare a remote provider: the service it calls, or the whisper-server it runs. */
    private static final List<String> DECLARING = List.of("base-url", "server.binary");

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * Remote settings are read at run time, but the beans must be known when building: a remote provider exists when
     * its {@code base-url} or {@code server.binary} is set in the configuration the application is built with, as the
     * Redis client extension finds its named clients by their {@code hosts}.
     */
    @BuildStep
    RemoteConfigurationsBuildItem configurations() {
        return configurations(ConfigProvider.getConfig().getPropertyNames());
    }

    static RemoteConfigurationsBuildItem configurations(Iterable<String> propertyNames) {
        boolean unnamed = false;
        Set<String> names = new TreeSet<>();
        for (String property : propertyNames) {
            for (String declaring : DECLARING) {
                if (property.equals(PREFIX + declaring)) {
                    unnamed = true;
                } else if (property.startsWith(PREFIX) && property.endsWith("." + declaring)) {
                    String name = property.substring(PREFIX.length(), property.length() - declaring.length() - 1);
                    if (name.length() > 2 && name.startsWith("\"") && name.endsWith("\"")) {
                        names.add(name.substring(1, name.length() - 1));
                    } else if (!name.isEmpty() && !name.contains(".")) {
                        names.add(name);
                    }
                }
            }
        }
        return new RemoteConfigurationsBuildItem(unnamed, names);
    }

    @BuildStep
    AsrProviderCandidateBuildItem candidate(RemoteConfigurationsBuildItem configurations) {
        return AsrProviderCandidateBuildItem.remote(RemoteAsrProvider.PROVIDER, configurations.unnamed(),
                configurations.names());
    }

    /** The programmatic REST clients need their interfaces in the index to be generated. */
    @BuildStep
    AdditionalIndexedClassesBuildItem restClient() {
        return new AdditionalIndexedClassesBuildItem(OpenAiAudioApi.class.getName(), WhisperServerApi.class.getName());
    }

    /** The remote providers' health on the ASR Dev UI card. */
    @BuildStep(onlyIf = IsDevelopment.class)
    AdditionalBeanBuildItem devUi() {
        return AdditionalBeanBuildItem.unremovableOf(RemoteDevUiContributor.class);
    }

    @BuildStep
    HealthBuildItem health(RemoteDeploymentConfig config) {
        return new HealthBuildItem(RemoteHealthCheck.class.getName(), config.healthEnabled());
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void providers(RemoteRecorder recorder, RemoteConfigurationsBuildItem configurations,
            SelectedAsrProviderBuildItem selected, BuildProducer<SyntheticBeanBuildItem> beans) {
        List<String> names = new ArrayList<>();
        if (AsrProviderBeans.hasUnnamedConfiguration(RemoteAsrProvider.PROVIDER, configurations.unnamed(),
                !configurations.names().isEmpty(), selected)) {
            names.add(null);
        }
        names.addAll(configurations.names());
        for (String name : names) {
            beans.produce(AsrProviderBeans.configure(RemoteAsrProvider.class, RemoteAsrProvider.PROVIDER, name, selected)
                    .addInjectionPoint(ClassType.create(TlsConfigurationRegistry.class))
                    .createWith(recorder.provider(name))
                    .done());
        }
    }
}
