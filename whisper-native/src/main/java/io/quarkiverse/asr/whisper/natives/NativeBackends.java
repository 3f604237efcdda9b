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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the loaded library computes with: ggml's backend registry, completed by {@code whisper_print_system_info}
 * for what the registry does not list, and the CPU features the library was built to use.
 */
final class NativeBackends {

    /** System info flags that name a backend rather than a CPU feature, with the backend's name. */
    private static final Map<String, String> BACKEND_FLAGS = Map.of("METAL", "Metal", "CUDA", "CUDA", "BLAS", "BLAS",
            "CANN", "CANN", "COREML", "CoreML", "OPENVINO", "OpenVINO");
    /** Backends of the system info that {@code use_gpu} turns on (the others always run, or run the encoder only). */
    private static final Set<String> GPU_FLAG_BACKENDS = Set.of("Metal", "CUDA", "CANN");
    /** ggml renamed the Metal backend in whisper.cpp 1.8.4. */
    private static final Map<String, String> ALIASES = Map.of("MTL", "METAL");
    private static final String CPU = "CPU";
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
                backends.add(new Backend(WhisperBindings.string(registry.regName(reg)), devices, true));
            }
        });
        for (Map<String, String> section : List.of(systemInfo.getOrDefault(UNNAMED_SECTION, Map.of()),
                systemInfo.getOrDefault("WHISPER", Map.of()))) {
            section.forEach((flag, value) -> {
                String name = BACKEND_FLAGS.get(flag);
                if (name != null && !value.equals("0")
                        && backends.stream().noneMatch(backend -> backend.name().equalsIgnoreCase(name))) {
                    backends.add(new Backend(name, List.of(), false));
                }
            });
        }
        return List.copyOf(backends);
    }

    /**
     * The device {@code requested} names, with the context parameters that select it in a library of
     * {@code version} offering {@code backends}.
     * <p>
     * whisper.cpp numbers GPUs as ggml's registry lists them: {@code gpu_device} is an index among the devices of
     * type GPU (and integrated GPUs from 1.8.1) of every backend. 1.7.0 to 1.7.2 register no GPU backend but CUDA
     * (Metal shows only in the system info); 1.7.3 and 1.7.4 always use the first GPU.
     *
     * @param requested "CPU"; a GPU backend's name ("CUDA", "Metal", "Vulkan"..., case ignored); or {@code null} for
     *        the first GPU, or the CPU when there is none
     * @param index the GPU among the requested backend's GPUs (among all GPUs for {@code null})
     * @throws WhisperLibraryException saying why, when the library lacks the backend or the GPU, or its release
     *         cannot select that GPU
     */
    static ComputeDevice select(String requested, int index, List<Backend> backends, NativeVersion version) {
        if (index < 0) {
            throw new IllegalArgumentException("The GPU index must not be negative: " + index);
        }
        if (CPU.equalsIgnoreCase(requested)) {
            return cpu(backends);
        }
        List<Gpu> gpus = new ArrayList<>();
        for (Backend backend : backends) {
            for (Backend.Device device : backend.devices()) {
                if (device.type() == Backend.DeviceType.GPU
                        || device.type() == Backend.DeviceType.IGPU && version.atLeast(1, 8, 1)) {
                    gpus.add(new Gpu(backend, device));
                }
            }
        }
        Gpu chosen;
        if (requested == null) {
            if (gpus.isEmpty()) {
                Optional<Backend> unlisted = backends.stream()
                        .filter(backend -> !backend.registered() && GPU_FLAG_BACKENDS.contains(backend.name()))
                        .findFirst();
                return unlisted.isPresent() ? unlisted(unlisted.get(), index) : cpu(backends);
            }
            chosen = pick(gpus, index, "GPUs");
        } else {
            Backend backend = backends.stream().filter(candidate -> sameName(candidate.name(), requested)).findFirst()
                    .orElseThrow(() -> new WhisperLibraryException("it has no " + requested + " backend"));
            if (!backend.registered()) {
                return unlisted(backend, index);
            }
            List<Gpu> own = gpus.stream().filter(gpu -> gpu.backend() == backend).toList();
            if (own.isEmpty()) {
                throw new WhisperLibraryException("its " + backend.name() + " backend " + (backend.devices().isEmpty()
                        ? "finds no device: is the driver installed, and the GPU visible to this process?"
                        : "has no GPU that whisper.cpp " + version + " uses (" + describeDevices(backend) + ")"));
            }
            chosen = pick(own, index, backend.name() + " GPUs");
        }
        int gpuDevice = gpus.indexOf(chosen);
        if (gpuDevice > 0 && version.atLeast(1, 7, 3) && !version.atLeast(1, 7, 5)) {
            throw new WhisperLibraryException("whisper.cpp " + version + " always uses the first GPU, "
                    + label(gpus.get(0).device()) + ", not " + label(chosen.device())
                    + "; whisper.cpp 1.7.5 and later choose");
        }
        return new ComputeDevice(chosen.backend().name(), Optional.of(chosen.device()), true, gpuDevice);
    }

    /** "CPU [CPU: AMD EPYC 7763], BLAS, Metal [devices not listed]". */
    static String describe(List<Backend> backends) {
        return backends.stream()
                .map(backend -> backend.name() + (backend.registered()
                        ? backend.devices().isEmpty() ? " [no device]" : " [" + describeDevices(backend) + "]"
                        : ""))
                .collect(Collectors.joining(", "));
    }

    private static String describeDevices(Backend backend) {
        return backend.devices().stream()
                .map(device -> device.name() + ": " + device.description() + " (" + device.type() + ")")
                .collect(Collectors.joining(", "));
    }

    private static ComputeDevice cpu(List<Backend> backends) {
        Optional<Backend.Device> device = backends.stream().filter(backend -> backend.name().equals(CPU))
                .flatMap(backend -> backend.devices().stream()).findFirst();
        return new ComputeDevice(CPU, device, false, 0);
    }

    /** A GPU backend whose devices the library does not list: whisper.cpp uses its first device. */
    private static ComputeDevice unlisted(Backend backend, int index) {
        if (index != 0) {
            throw new WhisperLibraryException("it does not list the devices of its " + backend.name()
                    + " backend, so only the first (index 0) can be chosen, not " + index);
        }
        return new ComputeDevice(backend.name(), Optional.empty(), true, 0);
    }

    private static Gpu pick(List<Gpu> gpus, int index, String what) {
        if (index >= gpus.size()) {
            throw new WhisperLibraryException("GPU index " + index + " is out of range: it has " + gpus.size() + " "
                    + what + " (" + gpus.stream().map(gpu -> label(gpu.device())).collect(Collectors.joining(", "))
                    + ")");
        }
        return gpus.get(index);
    }

    private static boolean sameName(String name, String requested) {
        return canonical(name).equals(canonical(requested));
    }

    private static String canonical(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return ALIASES.getOrDefault(upper, upper);
    }

    /** "CUDA0 (NVIDIA H100 80GB HBM3)". */
    static String label(Backend.Device device) {
        return device.name() + " (" + device.description() + ")";
    }

    /** A GPU as whisper.cpp counts them, with its backend. */
    private record Gpu(Backend backend, Backend.Device device) {
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
