/*
 * partnercenter-bench C driver: exercises the C ABI the way a C (or FFI) caller would, and
 * reports what it measured to the Rust harness on stdout, one "key value" line each
 * ("lat <ns>" once per timed call).
 *
 * Usage: driver <mode> [args]; client options JSON in the environment variable
 * PC_BENCH_OPTIONS (development credentials of the emulator only).
 *   steady <calls> <warmup>         sequential relationship requests on one client
 *   cold                            one client, one call (sign-in included), then exit
 *   concurrency <threads> <calls>   <calls> split over <threads> threads sharing one client
 *   listing <page_size>             page through every customer, count them
 *   footprint <calls>               resident memory after load, sign-in and <calls> calls
 *
 * Peak memory is VmHWM, not getrusage's ru_maxrss: on Linux the latter survives exec, so a
 * child of a big parent would report the parent's peak.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "partnercenter.h"

/* Upper bounds keep every loop finite whatever the arguments say. */
#define MAX_CALLS 10000000L
#define MAX_THREADS 256L

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A value of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1. */
static long proc_status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long value = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            value = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

/* CPU time (user + system) this process has used so far, in ms. */
static double cpu_ms(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static void report_memory(const char *stage) {
    printf("rss_kb.%s %ld\n", stage, proc_status_kb("VmRSS"));
    printf("hwm_kb.%s %ld\n", stage, proc_status_kb("VmHWM"));
}

/* Prints the library's last error and exits: any failure ends the measurement. */
static void fail(const char *what, pc_status status) {
    char *message = pc_last_error_message();
    fprintf(stderr, "driver: %s failed: %s: %s\n", what, pc_status_name(status),
            message ? message : "(no message)");
    pc_string_free(message);
    exit(1);
}

static long parse_count(const char *text, long min, long max, const char *what) {
    char *end = NULL;
    long value = text ? strtol(text, &end, 10) : 0;
    if (!text || *end != '\0' || value < min || value > max) {
        fprintf(stderr, "driver: %s must be a number from %ld to %ld\n", what, min, max);
        exit(2);
    }
    return value;
}

static pc_client *new_client(void) {
    const char *options = getenv("PC_BENCH_OPTIONS");
    if (!options) {
        fprintf(stderr, "driver: PC_BENCH_OPTIONS is not set\n");
        exit(2);
    }
    pc_client *client = NULL;
    pc_status status = pc_client_new(options, &client);
    if (status != PC_OK) fail("pc_client_new", status);
    return client;
}

static void sign_in(const pc_client *client) {
    pc_status status = pc_client_sign_in(client, NULL);
    if (status != PC_OK) fail("pc_client_sign_in", status);
}

/* One relationship request; the link is freed at once, as a caller that used it would. */
static void one_call(const pc_client *client) {
    char *url = NULL;
    pc_status status = pc_new_relationship_request(client, &url, NULL);
    if (status != PC_OK) fail("pc_new_relationship_request", status);
    pc_string_free(url);
}

static int run_steady(long calls, long warmup) {
    pc_client *client = new_client();
    sign_in(client);
    for (long i = 0; i < warmup; i++) one_call(client);
    uint64_t *latencies = calloc((size_t)calls, sizeof *latencies);
    if (!latencies) return 1;
    double cpu_before = cpu_ms();
    uint64_t start = now_ns();
    for (long i = 0; i < calls; i++) {
        uint64_t t0 = now_ns();
        one_call(client);
        latencies[i] = now_ns() - t0;
    }
    uint64_t wall = now_ns() - start;
    printf("wall_ns %llu\ncpu_ms %.1f\n", (unsigned long long)wall, cpu_ms() - cpu_before);
    for (long i = 0; i < calls; i++) printf("lat %llu\n", (unsigned long long)latencies[i]);
    free(latencies);
    pc_client_free(client);
    return 0;
}

/* The harness times the whole process; the split between making the client (TLS set-up,
 * runtime) and the first call (token + request) is reported to explain it. */
static int run_cold(void) {
    uint64_t t0 = now_ns();
    pc_client *client = new_client();
    uint64_t t1 = now_ns();
    one_call(client);
    uint64_t t2 = now_ns();
    pc_client_free(client);
    printf("client_new_ns %llu\nfirst_call_ns %llu\n", (unsigned long long)(t1 - t0),
           (unsigned long long)(t2 - t1));
    return 0;
}

struct worker {
    const pc_client *client;
    pthread_barrier_t *start;
    long calls;
    uint64_t *latencies;
};

static void *worker_main(void *arg) {
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    for (long i = 0; i < w->calls; i++) {
        uint64_t t0 = now_ns();
        one_call(w->client);
        w->latencies[i] = now_ns() - t0;
    }
    return NULL;
}

static int run_concurrency(long threads, long calls) {
    pc_client *client = new_client();
    sign_in(client);
    for (long i = 0; i < 50; i++) one_call(client);
    long per_thread = calls / threads;
    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    uint64_t *latencies = calloc((size_t)(per_thread * threads), sizeof *latencies);
    if (!workers || !ids || !latencies) return 1;
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (long t = 0; t < threads; t++) {
        workers[t] = (struct worker){client, &start, per_thread, latencies + t * per_thread};
        if (pthread_create(&ids[t], NULL, worker_main, &workers[t]) != 0) return 1;
    }
    double cpu_before = cpu_ms();
    pthread_barrier_wait(&start);
    uint64_t begin = now_ns();
    for (long t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    uint64_t wall = now_ns() - begin;
    double cpu = cpu_ms() - cpu_before;
    pthread_barrier_destroy(&start);
    printf("wall_ns %llu\ncalls %ld\ncpu_ms %.1f\n", (unsigned long long)wall,
           per_thread * threads, cpu);
    for (long i = 0; i < per_thread * threads; i++)
        printf("lat %llu\n", (unsigned long long)latencies[i]);
    free(latencies);
    free(ids);
    free(workers);
    pc_client_free(client);
    return 0;
}

/* Counts the objects directly inside a JSON array (depth 1), skipping string contents. */
static long count_array_objects(const char *json) {
    long count = 0;
    int depth = 0, in_string = 0;
    for (const char *p = json; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '[' || *p == '{') {
            if (*p == '{' && depth == 1) count++;
            depth++;
        } else if (*p == ']' || *p == '}') {
            depth--;
        }
    }
    return count;
}

static int run_listing(long page_size) {
    pc_client *client = new_client();
    sign_in(client);
    report_memory("signed_in");
    char query[64];
    snprintf(query, sizeof query, "{\"pageSize\": %ld}", page_size);
    pc_customer_pages *pages = NULL;
    pc_status status = pc_customer_pages_new(client, query, &pages);
    if (status != PC_OK) fail("pc_customer_pages_new", status);
    long customers = 0, page_count = 0;
    uint64_t start = now_ns();
    for (long guard = 0; guard < MAX_CALLS; guard++) {
        char *page = NULL;
        status = pc_customer_pages_next(pages, &page);
        if (status != PC_OK) fail("pc_customer_pages_next", status);
        if (!page) break;
        customers += count_array_objects(page);
        page_count++;
        pc_string_free(page);
    }
    uint64_t wall = now_ns() - start;
    pc_customer_pages_free(pages);
    printf("wall_ns %llu\ncustomers %ld\npages %ld\n", (unsigned long long)wall, customers,
           page_count);
    report_memory("listed");
    printf("peak_kb %ld\n", proc_status_kb("VmHWM"));
    pc_client_free(client);
    return 0;
}

static int run_footprint(long calls) {
    report_memory("loaded");
    pc_client *client = new_client();
    report_memory("client");
    sign_in(client);
    one_call(client);
    report_memory("first_call");
    for (long i = 1; i < calls; i++) one_call(client);
    report_memory("calls");
    printf("peak_kb %ld\n", proc_status_kb("VmHWM"));
    pc_client_free(client);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    int status;
    if (strcmp(mode, "steady") == 0 && argc == 4) {
        status = run_steady(parse_count(argv[2], 1, MAX_CALLS, "calls"),
                            parse_count(argv[3], 0, MAX_CALLS, "warmup"));
    } else if (strcmp(mode, "cold") == 0 && argc == 2) {
        status = run_cold();
    } else if (strcmp(mode, "concurrency") == 0 && argc == 4) {
        long threads = parse_count(argv[2], 1, MAX_THREADS, "threads");
        status = run_concurrency(threads, parse_count(argv[3], threads, MAX_CALLS, "calls"));
    } else if (strcmp(mode, "listing") == 0 && argc == 3) {
        status = run_listing(parse_count(argv[2], 1, MAX_PAGE_SIZE, "page size"));
    } else if (strcmp(mode, "footprint") == 0 && argc == 3) {
        status = run_footprint(parse_count(argv[2], 1, MAX_CALLS, "calls"));
    } else {
        fprintf(stderr,
                "usage: driver steady <calls> <warmup> | cold | concurrency <threads> <calls>"
                " | listing <page_size> | footprint <calls>\n");
        return 2;
    }
    fflush(stdout);
    return status;
}
