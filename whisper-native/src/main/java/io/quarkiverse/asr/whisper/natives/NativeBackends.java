package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the loaded library computes with: ggml's backend registry, completed by {@code whisper_print_system_info}
 * for what the registry does not list, and the CPU features the library was built to use.
 */
final class NativeBackends {

    /** System info flags that name a backend rather than a CPU feature, with the backend's name. */
    private static final Map<String, String> BACKEND_FLAGS = Map.of("METAL", "Metal", "CUDA", "CUDA", "BLAS", "BLAS",
            "CANN", "CANN", "COREML", "CoreML", "OPENVINO", "OpenVINO");
    /** The section of the system info that lists the CPU backend's features (1.7.5 and later). */
    private static final String CPU_SECTION = "CPU";
    /** The one section of the system info of 1.7.0 to 1.7.4, which has no section names. */
    private static final String UNNAMED_SECTION = "";

    private NativeBackends() {
    }

    /**
     * The enumerators of {@code enum ggml_backend_dev_type} in ggml-backend.h, in code order, as shipped with
     * whisper.cpp {@code version}.
     */
    static List<String> deviceTypeNames(NativeVersion version) {
        if (!version.atLeast(1, 7, 2)) {
            return List.of("CPU", "GPU", "CPU_FULL", "GPU_FULL");
        }
        if (!version.atLeast(1, 8, 0)) {
            return List.of("CPU", "GPU", "ACCEL");
        }
        if (!version.atLeast(1, 8, 5)) {
            return List.of("CPU", "GPU", "IGPU", "ACCEL");
        }
        return List.of("CPU", "GPU", "IGPU", "ACCEL", "META");
    }

    static Backend.DeviceType deviceType(NativeVersion version, int code) {
        List<String> names = deviceTypeNames(version);
        if (code < 0 || code >= names.size()) {
            return Backend.DeviceType.UNKNOWN;
        }
        return Backend.DeviceType.valueOf(names.get(code).replace("_FULL", ""));
    }

    /**
     * The registry's backends with their devices, then the backends flagged in {@code systemInfo} that the
     * registry lacks (whisper.cpp 1.7.1 registers only CPU and CUDA).
     */
    static List<Backend> list(Optional<WhisperBindings.GgmlRegistry> ggml, NativeVersion version,
            Map<String, Map<String, String>> systemInfo) {
        List<Backend> backends = new ArrayList<>();
        ggml.ifPresent(registry -> {
            for (long i = 0, count = registry.regCount(); i < count; i++) {
                MemorySegment reg = registry.regGet(i);
                List<Backend.Device> devices = new ArrayList<>();
                for (long d = 0, devs = registry.regDevCount(reg); d < devs; d++) {
                    devices.add(device(registry, version, registry.regDevGet(reg, d)));
                }
                backends.add(new Backend(WhisperBindings.string(registry.regName(reg)), devices));
            }
        });
        for (Map<String, String> section : List.of(systemInfo.getOrDefault(UNNAMED_SECTION, Map.of()),
                systemInfo.getOrDefault("WHISPER", Map.of()))) {
            section.forEach((flag, value) -> {
                String name = BACKEND_FLAGS.get(flag);
                if (name != null && !value.equals("0")
                        && backends.stream().noneMatch(backend -> backend.name().equalsIgnoreCase(name))) {
                    backends.add(new Backend(name, List.of()));
                }
            });
        }
        return List.copyOf(backends);
    }

    private static Backend.Device device(WhisperBindings.GgmlRegistry registry, NativeVersion version,
            MemorySegment dev) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(JAVA_LONG);
            MemorySegment total = arena.allocate(JAVA_LONG);
            registry.devMemory(dev, free, total);
            return new Backend.Device(WhisperBindings.string(registry.devName(dev)),
                    WhisperBindings.string(registry.devDescription(dev)),
                    deviceType(version, registry.devType(dev)), free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0));
        }
    }

    /**
     * Parses {@code whisper_print_system_info()}: "AVX = 1 | AVX2 = 1 | ... | CANN = 0" up to 1.7.4 (one section,
     * named ""), "WHISPER : COREML = 0 | OPENVINO = 0 | CPU : SSE3 = 1 | AVX = 1 | ..." from 1.7.5 on (a section
     * per backend with features).
     */
    static Map<String, Map<String, String>> parseSystemInfo(String systemInfo) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        String section = UNNAMED_SECTION;
        for (String part : systemInfo.split("\\|")) {
            String entry = part.strip();
            int colon = entry.indexOf(':');
            if (colon >= 0) {
                section = entry.substring(0, colon).strip();
                entry = entry.substring(colon + 1).strip();
            }
            int equals = entry.indexOf('=');
            if (equals > 0) {
                sections.computeIfAbsent(section, name -> new LinkedHashMap<>())
                        .put(entry.substring(0, equals).strip().toUpperCase(Locale.ROOT),
                                entry.substring(equals + 1).strip());
            }
        }
        sections.replaceAll((name, entries) -> Collections.unmodifiableMap(entries));
        return Collections.unmodifiableMap(sections);
    }

    /** The CPU features the library was built to use, name to value ("1", or a size such as SVE_CNT's). */
    static Map<String, String> cpuFeatures(Map<String, Map<String, String>> systemInfo) {
        Map<String, String> features = new LinkedHashMap<>();
        Map<String, String> cpu = systemInfo.get(CPU_SECTION);
        if (cpu != null) {
            features.putAll(cpu);
        } else {
            // up to 1.7.4 the flags of every feature, present or not, and backend flags mixed in
            systemInfo.getOrDefault(UNNAMED_SECTION, Map.of()).forEach((flag, value) -> {
                if (!BACKEND_FLAGS.containsKey(flag) && !value.equals("0")) {
                    features.put(flag, value);
                }
            });
        }
        return Collections.unmodifiableMap(features);
    }
}
