package io.quarkiverse.asr.deployment;

import jakarta.enterprise.inject.Default;
import jakarta.inject.Singleton;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkus.arc.BeanDestroyer;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;

/** How provider extensions declare their {@code AsrProvider} beans, so that every provider is injected alike. */
public final class AsrProviderBeans {

    private AsrProviderBeans() {
    }

    /**
     * Starts the bean of one configuration of a provider: a singleton of type {@code AsrProvider}, created at run time
     * when the application starts, so that a provider that cannot work fails the start rather than the first request,
     * and closed when the application stops. It is qualified by its configuration name; the unnamed configuration by
     * the provider id, and also as {@code @Default} when its provider is the selected one. The caller adds how it is
     * created.
     *
     * @param name the configuration name, {@code null} for the unnamed configuration
     */
    public static <T extends AsrProvider & AutoCloseable> SyntheticBeanBuildItem.ExtendedBeanConfigurator configure(
            Class<T> implementation, String provider, String name, SelectedAsrProviderBuildItem selected) {
        SyntheticBeanBuildItem.ExtendedBeanConfigurator bean = SyntheticBeanBuildItem.configure(implementation)
                .addType(AsrProvider.class)
                .scope(Singleton.class)
                .setRuntimeInit()
                .unremovable()
                .startup()
                .destroyer(BeanDestroyer.AutoCloseableDestroyer.class);
        bean.addQualifier().annotation(AsrProviderName.class).addValue("value", name == null ? provider : name).done();
        if (name == null && selected.is(provider)) {
            bean.addQualifier(Default.class);
        }
        return bean;
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
