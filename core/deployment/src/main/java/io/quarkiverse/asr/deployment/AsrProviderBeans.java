package io.quarkiverse.asr.deployment;

import jakarta.enterprise.inject.Default;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;

/** How provider extensions qualify their {@code AsrProvider} beans, so that every provider is injected alike. */
public final class AsrProviderBeans {

    private AsrProviderBeans() {
    }

    /**
     * Qualifies the bean of one configuration: a named configuration by its name; the unnamed one by the provider id,
     * and also as {@code @Default} when its provider is the selected one.
     *
     * @param name the configuration name, {@code null} for the unnamed configuration
     */
    public static void qualify(SyntheticBeanBuildItem.ExtendedBeanConfigurator bean, String provider, String name,
            SelectedAsrProviderBuildItem selected) {
        bean.addQualifier().annotation(AsrProviderName.class).addValue("value", name == null ? provider : name).done();
        if (name == null && selected.is(provider)) {
            bean.addQualifier(Default.class);
        }
    }

    /**
     * Whether a provider has an unnamed configuration: when one is configured, or when the provider is the selected
     * one and has no named configurations (then the unnamed one is expected, and its absence is an error).
     */
    public static boolean hasUnnamedConfiguration(String provider, boolean unnamedConfigured, boolean namedConfigured,
            SelectedAsrProviderBuildItem selected) {
        return unnamedConfigured || (selected.is(provider) && !namedConfigured);
    }
}
