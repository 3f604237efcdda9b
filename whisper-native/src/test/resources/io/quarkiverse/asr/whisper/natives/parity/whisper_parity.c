/*
 * Transcribes 16 kHz mono f32le samples with whisper.cpp 1.7.x straight from C, the way WhisperState.full does
 * it through FFM (whisper_init_from_file_with_params_no_state, whisper_init_state, whisper_full_with_state), and
 * prints every segment and token exactly, for the parity test and the benchmarks to compare with the Java side.
 *
 * usage: whisper_parity MODEL SAMPLES [--strategy greedy|beam] [--beam-size N] [--best-of N] [--threads N]
 *            [--language CODE] [--token-timestamps 0|1] [--no-timestamps 0|1] [--max-len N]
 *            [--split-on-word 0|1] [--runs N]
 *
 * Output, one record a line:
 *   lib PATH                      each loaded libwhisper / libggml file
 *   run I FULL_NS CALL_NS CPU_NS  run I: wall time of whisper_full_with_state alone, and with parameters and
 *                                 result read-out; CPU time of this thread for the latter (all of the work with
 *                                 one whisper.cpp thread, which computes on the calling thread)
 *   cpu NS                        CPU time of the whole process so far (user and system), after the runs
 *   lang ID                       the language id of the result
 *   seg I T0 T1 xTEXT             segment I, times in centiseconds, text as hex bytes
 *   tok I J ID xTEXT T0 T1 P PLOG token J of segment I; P and PLOG are the float's bits in hex
 * The result is printed once: every run's must equal the first one's, else the exit code is 4.
 *
 * whisper.h is deliberately not included: the declarations below are typed from the 1.7.1 ABI (the struct
 * sizes and offsets are the ones StructLayoutGccTest checks for the Java layouts), so that this program needs
 * nothing but the bundled libraries.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct whisper_context;
struct whisper_state;
typedef int32_t whisper_token;

struct whisper_context_params {
    bool use_gpu;
    bool flash_attn;
    int gpu_device;
    bool dtw_token_timestamps;
    int dtw_aheads_preset;
    int dtw_n_top;
    struct {
        size_t n_heads;
        const void *heads;
    } dtw_aheads;
    size_t dtw_mem_size;
};
_Static_assert(sizeof(struct whisper_context_params) == 48, "whisper_context_params of 1.7.1");

typedef struct {
    whisper_token id;
    whisper_token tid;
    float p;
    float plog;
    float pt;
    float ptsum;
    int64_t t0;
    int64_t t1;
    int64_t t_dtw;
    float vlen;
} whisper_token_data;
_Static_assert(sizeof(whisper_token_data) == 56, "whisper_token_data of 1.7.1");

enum { STRATEGY_GREEDY = 0, STRATEGY_BEAM_SEARCH = 1 };

struct whisper_full_params {
    int strategy;
    int n_threads;
    int n_max_text_ctx;
    int offset_ms;
    int duration_ms;
    bool translate;
    bool no_context;
    bool no_timestamps;
    bool single_segment;
    bool print_special;
    bool print_progress;
    bool print_realtime;
    bool print_timestamps;
    bool token_timestamps;
    float thold_pt;
    float thold_ptsum;
    int max_len;
    bool split_on_word;
    int max_tokens;
    bool debug_mode;
    int audio_ctx;
    bool tdrz_enable;
    const char *suppress_regex;
    const char *initial_prompt;
    const whisper_token *prompt_tokens;
    int prompt_n_tokens;
    const char *language;
    bool detect_language;
    bool suppress_blank;
    bool suppress_non_speech_tokens;
    float temperature;
    float max_initial_ts;
    float length_penalty;
    float temperature_inc;
    float entropy_thold;
    float logprob_thold;
    float no_speech_thold;
    struct {
        int best_of;
    } greedy;
    struct {
        int beam_size;
        float patience;
    } beam_search;
    void *new_segment_callback;
    void *new_segment_callback_user_data;
    void *progress_callback;
    void *progress_callback_user_data;
    void *encoder_begin_callback;
    void *encoder_begin_callback_user_data;
    void *abort_callback;
    void *abort_callback_user_data;
    void *logits_filter_callback;
    void *logits_filter_callback_user_data;
    const void *grammar_rules;
    size_t n_grammar_rules;
    size_t i_start_rule;
    float grammar_penalty;
};
_Static_assert(sizeof(struct whisper_full_params) == 264, "whisper_full_params of 1.7.0 - 1.7.5");
_Static_assert(offsetof(struct whisper_full_params, language) == 96, "language of 1.7.1");
_Static_assert(offsetof(struct whisper_full_params, beam_search) == 140, "beam_search of 1.7.1");
_Static_assert(offsetof(struct whisper_full_params, grammar_penalty) == 256, "grammar_penalty of 1.7.1");

typedef void (*ggml_log_callback)(int level, const char *text, void *user_data);

struct whisper_context_params *whisper_context_default_params_by_ref(void);
void whisper_free_context_params(struct whisper_context_params *params);
struct whisper_context *whisper_init_from_file_with_params_no_state(const char *path,
        struct whisper_context_params params);
struct whisper_state *whisper_init_state(struct whisper_context *ctx);
void whisper_free_state(struct whisper_state *state);
void whisper_free(struct whisper_context *ctx);
int whisper_is_multilingual(struct whisper_context *ctx);
struct whisper_full_params *whisper_full_default_params_by_ref(int strategy);
void whisper_free_params(struct whisper_full_params *params);
int whisper_full_with_state(struct whisper_context *ctx, struct whisper_state *state,
        struct whisper_full_params params, const float *samples, int n_samples);
int whisper_full_n_segments_from_state(struct whisper_state *state);
int whisper_full_lang_id_from_state(struct whisper_state *state);
int64_t whisper_full_get_segment_t0_from_state(struct whisper_state *state, int segment);
int64_t whisper_full_get_segment_t1_from_state(struct whisper_state *state, int segment);
const char *whisper_full_get_segment_text_from_state(struct whisper_state *state, int segment);
int whisper_full_n_tokens_from_state(struct whisper_state *state, int segment);
const char *whisper_full_get_token_text_from_state(struct whisper_context *ctx, struct whisper_state *state,
        int segment, int token);
whisper_token_data whisper_full_get_token_data_from_state(struct whisper_state *state, int segment, int token);
void whisper_log_set(ggml_log_callback callback, void *user_data);

struct options {
    int strategy;
    int beam_size;
    int best_of;
    int threads;
    const char *language;
    int token_timestamps;
    int no_timestamps;
    int max_len;
    int split_on_word;
    int runs;
};

static void fail(const char *what) {
    fprintf(stderr, "whisper_parity: %s\n", what);
    exit(2);
}

/* The log goes to stderr only when asked: the timed runs should not pay for printing it. */
static void log_to_stderr(int level, const char *text, void *user_data) {
    (void) level;
    (void) user_data;
    fputs(text, stderr);
}

static void log_nothing(int level, const char *text, void *user_data) {
    (void) level;
    (void) text;
    (void) user_data;
}

static int loaded_library(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    (void) data;
    const char *slash = strrchr(info->dlpi_name, '/');
    const char *name = slash ? slash + 1 : info->dlpi_name;
    if (strncmp(name, "libwhisper", 10) == 0 || strncmp(name, "libggml", 7) == 0) {
        printf("lib %s\n", info->dlpi_name);
    }
    return 0;
}

static int int_option(const char *value) {
    char *end;
    long parsed = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0' || parsed < 0 || parsed > 1000000) {
        fail("an option needs a non-negative number");
    }
    return (int) parsed;
}

static struct options parse(int argc, char **argv) {
    struct options o = {STRATEGY_GREEDY, -1, -1, 1, "en", 0, 0, 0, 0, 1};
    for (int i = 3; i < argc; i += 2) {
        if (i + 1 >= argc) {
            fail("an option lacks its value");
        }
        const char *key = argv[i], *value = argv[i + 1];
        if (strcmp(key, "--strategy") == 0) {
            if (strcmp(value, "greedy") == 0) {
                o.strategy = STRATEGY_GREEDY;
            } else if (strcmp(value, "beam") == 0) {
                o.strategy = STRATEGY_BEAM_SEARCH;
            } else {
                fail("--strategy is greedy or beam");
            }
        } else if (strcmp(key, "--beam-size") == 0) {
            o.beam_size = int_option(value);
        } else if (strcmp(key, "--best-of") == 0) {
            o.best_of = int_option(value);
        } else if (strcmp(key, "--threads") == 0) {
            o.threads = int_option(value);
        } else if (strcmp(key, "--language") == 0) {
            o.language = value;
        } else if (strcmp(key, "--token-timestamps") == 0) {
            o.token_timestamps = int_option(value);
        } else if (strcmp(key, "--no-timestamps") == 0) {
            o.no_timestamps = int_option(value);
        } else if (strcmp(key, "--max-len") == 0) {
            o.max_len = int_option(value);
        } else if (strcmp(key, "--split-on-word") == 0) {
            o.split_on_word = int_option(value);
        } else if (strcmp(key, "--runs") == 0) {
            o.runs = int_option(value);
        } else {
            fail("unknown option");
        }
    }
    if (o.runs < 1 || o.threads < 1) {
        fail("--runs and --threads must be at least 1");
    }
    return o;
}

static float *read_samples(const char *path, int *count) {
    FILE *in = fopen(path, "rb");
    if (!in) {
        fail("cannot open the samples file");
    }
    if (fseek(in, 0, SEEK_END) != 0) {
        fail("cannot seek in the samples file");
    }
    long bytes = ftell(in);
    if (bytes <= 0 || bytes % 4 != 0 || fseek(in, 0, SEEK_SET) != 0) {
        fail("the samples file is not a whole number of f32 samples");
    }
    float *samples = malloc((size_t) bytes);
    if (!samples || fread(samples, 1, (size_t) bytes, in) != (size_t) bytes) {
        fail("cannot read the samples file");
    }
    fclose(in);
    *count = (int) (bytes / 4);
    return samples;
}

static int64_t clock_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) {
        fail("clock_gettime failed");
    }
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t now_ns(void) {
    return clock_ns(CLOCK_MONOTONIC);
}

static uint32_t bits(float value) {
    uint32_t b;
    memcpy(&b, &value, sizeof b);
    return b;
}

static void hex(FILE *out, const char *text) {
    fputc('x', out);
    for (const unsigned char *c = (const unsigned char *) text; *c; c++) {
        fprintf(out, "%02x", *c);
    }
}

/* One transcription, timed; its result goes to a memory stream, formatted after the timed part. */
static char *transcribe(struct whisper_context *ctx, struct whisper_state *state, const struct options *o,
        const float *samples, int n_samples, int64_t *full_ns, int64_t *call_ns, int64_t *cpu_ns) {
    int64_t cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    int64_t start = now_ns();
    struct whisper_full_params *params = whisper_full_default_params_by_ref(o->strategy);
    if (!params) {
        fail("whisper_full_default_params_by_ref returned NULL");
    }
    params->n_threads = o->threads;
    params->print_realtime = false;
    params->print_progress = false;
    params->print_special = false;
    params->print_timestamps = false;
    params->token_timestamps = o->token_timestamps;
    params->no_timestamps = o->no_timestamps;
    params->max_len = o->max_len;
    params->split_on_word = o->split_on_word;
    if (o->beam_size >= 0) {
        params->beam_search.beam_size = o->beam_size;
    }
    if (o->best_of >= 0) {
        params->greedy.best_of = o->best_of;
    }
    /* as the binding: English-only models get "en", the given language otherwise */
    params->language = whisper_is_multilingual(ctx) ? o->language : "en";
    int64_t full_start = now_ns();
    int code = whisper_full_with_state(ctx, state, *params, samples, n_samples);
    *full_ns = now_ns() - full_start;
    whisper_free_params(params);
    if (code != 0) {
        fprintf(stderr, "whisper_parity: whisper_full_with_state returned %d\n", code);
        exit(3);
    }

    /* what the binding reads back from every segment and token, kept apart from the formatting */
    int n_segments = whisper_full_n_segments_from_state(state);
    size_t n_total = 0;
    for (int i = 0; i < n_segments; i++) {
        n_total += (size_t) whisper_full_n_tokens_from_state(state, i);
    }
    whisper_token_data *data = malloc((n_total + 1) * sizeof *data);
    const char **texts = malloc((n_total + 1) * sizeof *texts);
    if (!data || !texts) {
        fail("out of memory");
    }
    size_t k = 0;
    for (int i = 0; i < n_segments; i++) {
        for (int j = 0, n = whisper_full_n_tokens_from_state(state, i); j < n; j++, k++) {
            data[k] = whisper_full_get_token_data_from_state(state, i, j);
            texts[k] = whisper_full_get_token_text_from_state(ctx, state, i, j);
        }
    }
    *call_ns = now_ns() - start;
    *cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start;

    char *result;
    size_t length;
    FILE *out = open_memstream(&result, &length);
    if (!out) {
        fail("open_memstream failed");
    }
    fprintf(out, "lang %d\n", whisper_full_lang_id_from_state(state));
    k = 0;
    for (int i = 0; i < n_segments; i++) {
        fprintf(out, "seg %d %lld %lld ", i, (long long) whisper_full_get_segment_t0_from_state(state, i),
                (long long) whisper_full_get_segment_t1_from_state(state, i));
        hex(out, whisper_full_get_segment_text_from_state(state, i));
        fputc('\n', out);
        for (int j = 0, n = whisper_full_n_tokens_from_state(state, i); j < n; j++, k++) {
            fprintf(out, "tok %d %d %d ", i, j, data[k].id);
            hex(out, texts[k]);
            fprintf(out, " %lld %lld %08x %08x\n", (long long) data[k].t0, (long long) data[k].t1, bits(data[k].p),
                    bits(data[k].plog));
        }
    }
    if (fclose(out) != 0) {
        fail("cannot write the result");
    }
    free(data);
    free(texts);
    return result;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fail("usage: whisper_parity MODEL SAMPLES [--option value]...");
    }
    struct options o = parse(argc, argv);
    whisper_log_set(getenv("WHISPER_PARITY_LOG") ? log_to_stderr : log_nothing, NULL);
    int n_samples;
    float *samples = read_samples(argv[2], &n_samples);

    struct whisper_context_params *cparams = whisper_context_default_params_by_ref();
    if (!cparams) {
        fail("whisper_context_default_params_by_ref returned NULL");
    }
    /* the binding's ContextParams.defaults(): GPU where built with one, no flash attention, device 0 */
    cparams->use_gpu = true;
    cparams->flash_attn = false;
    cparams->gpu_device = 0;
    struct whisper_context *ctx = whisper_init_from_file_with_params_no_state(argv[1], *cparams);
    whisper_free_context_params(cparams);
    if (!ctx) {
        fail("whisper_init_from_file_with_params_no_state failed");
    }
    struct whisper_state *state = whisper_init_state(ctx);
    if (!state) {
        fail("whisper_init_state failed");
    }
    dl_iterate_phdr(loaded_library, NULL);

    char *first = NULL;
    int status = 0;
    for (int run = 0; run < o.runs; run++) {
        int64_t full_ns, call_ns, cpu_ns;
        char *result = transcribe(ctx, state, &o, samples, n_samples, &full_ns, &call_ns, &cpu_ns);
        printf("run %d %lld %lld %lld\n", run, (long long) full_ns, (long long) call_ns, (long long) cpu_ns);
        if (!first) {
            first = result;
        } else {
            if (strcmp(first, result) != 0) {
                fprintf(stderr, "whisper_parity: run %d differs from run 0\n", run);
                status = 4;
            }
            free(result);
        }
    }
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0) {
        fail("getrusage failed");
    }
    printf("cpu %lld\n", ((long long) usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000
            + ((long long) usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000);
    fputs(first, stdout);
    free(first);
    whisper_free_state(state);
    whisper_free(ctx);
    free(samples);
    return status;
}
