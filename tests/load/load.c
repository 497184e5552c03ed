/* Bounded load and soak through the C ABI: one client shared by THREADS threads making CALLS
 * relationship requests against the emulator (which injects a few percent of 429/503), then
 * CYCLES client create/call/free cycles. Reports calls/s, p50/p99 latency, statuses, and
 * resident memory and thread counts along the way, as JSON on stdout. Exits non-zero when a
 * call fails with anything but a throttling status, or memory grows past the limit.
 *
 * usage: load BASE_URL [CALLS=20000] [THREADS=16] [CYCLES=1000] [MAX_GROWTH_KB=5120] */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partnercenter.h"

static const char *base_url;
static pc_client *shared;
static long calls_total;
static long next_call;
static double *latencies_ms;
static long status_counts[1000];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A field of /proc/self/status, in kB for memory, a count for Threads. */
static long proc_status(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long value = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            value = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

static char *options(void) {
    static char buf[512];
    snprintf(buf, sizeof buf,
             "{\"base_url\":\"%s\",\"authority\":\"%s\",\"tenant\":\"emulator.onmicrosoft.com\","
             "\"client_id\":\"00000000-0000-0000-0000-00000000e1e1\",\"refresh_token\":\"emulator-refresh-token\","
             "\"max_retries\":5,\"timeout_ms\":30000}",
             base_url, base_url);
    return buf;
}

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        long i = next_call < calls_total ? next_call++ : -1;
        pthread_mutex_unlock(&lock);
        if (i < 0) return NULL;
        char *url = NULL;
        double t0 = now_ms();
        pc_status st = pc_new_relationship_request(shared, &url, NULL);
        latencies_ms[i] = now_ms() - t0;
        pc_string_free(url);
        int slot = (st >= 0 && st < 1000) ? st : 999;
        pthread_mutex_lock(&lock);
        status_counts[slot]++;
        pthread_mutex_unlock(&lock);
    }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *sorted, long n, double p) {
    long i = (long)(p * (n - 1));
    return sorted[i];
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s BASE_URL [CALLS] [THREADS] [CYCLES] [MAX_GROWTH_KB]\n", argv[0]);
        return 2;
    }
    base_url = argv[1];
    calls_total = argc > 2 ? atol(argv[2]) : 20000;
    int threads = argc > 3 ? atoi(argv[3]) : 16;
    long cycles = argc > 4 ? atol(argv[4]) : 1000;
    long max_growth_kb = argc > 5 ? atol(argv[5]) : 5120;
    if (calls_total < 100 || threads < 1 || threads > 256 || cycles < 0) return 2;
    latencies_ms = calloc((size_t)calls_total, sizeof(double));

    long rss_start = proc_status("VmRSS");
    if (pc_client_new(options(), &shared) != PC_OK) {
        char *m = pc_last_error_message();
        fprintf(stderr, "client: %s\n", m ? m : "?");
        return 1;
    }
    /* Warm-up: sign-in, connection pool, runtime threads. */
    for (int i = 0; i < 200; i++) {
        char *url = NULL;
        pc_new_relationship_request(shared, &url, NULL);
        pc_string_free(url);
    }
    long rss_warm = proc_status("VmRSS");

    pthread_t *ids = calloc((size_t)threads, sizeof(pthread_t));
    double t0 = now_ms();
    /* Two halves, to read memory in the middle. */
    long half = calls_total / 2, total = calls_total;
    calls_total = half;
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    long rss_middle = proc_status("VmRSS");
    calls_total = total;
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    double elapsed = now_ms() - t0;
    long rss_end = proc_status("VmRSS");
    long threads_after_load = proc_status("Threads");
    pc_client_free(shared);

    /* Create/call/free cycles: no growth in memory or threads. */
    long rss_cycles_start = 0, threads_cycles_start = 0;
    double cycles_t0 = now_ms();
    long cycle_failures = 0;
    for (long c = 0; c < cycles; c++) {
        pc_client *client = NULL;
        if (pc_client_new(options(), &client) != PC_OK) {
            cycle_failures++;
            continue;
        }
        char *url = NULL;
        pc_status st = pc_new_relationship_request(client, &url, NULL);
        if (st != PC_OK && st != PC_ERR_THROTTLED && st != PC_ERR_SERVICE) cycle_failures++;
        pc_string_free(url);
        pc_client_free(client);
        if (c == 99) {
            rss_cycles_start = proc_status("VmRSS");
            threads_cycles_start = proc_status("Threads");
        }
    }
    double cycles_elapsed = now_ms() - cycles_t0;
    long rss_cycles_end = proc_status("VmRSS");
    long threads_cycles_end = proc_status("Threads");

    qsort(latencies_ms, (size_t)total, sizeof(double), cmp);
    long unexpected = 0;
    printf("{\n  \"calls\": %ld, \"threads\": %d, \"seconds\": %.3f, \"callsPerSecond\": %.0f,\n", total, threads,
           elapsed / 1e3, total / (elapsed / 1e3));
    printf("  \"latencyMs\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f},\n",
           percentile(latencies_ms, total, 0.50), percentile(latencies_ms, total, 0.90),
           percentile(latencies_ms, total, 0.99), latencies_ms[total - 1]);
    printf("  \"statuses\": {");
    const char *sep = "";
    for (int s = 0; s < 1000; s++) {
        if (status_counts[s]) {
            printf("%s\"%s\": %ld", sep, pc_status_name(s), status_counts[s]);
            sep = ", ";
            if (s != PC_OK && s != PC_ERR_THROTTLED) unexpected += status_counts[s];
        }
    }
    printf("},\n");
    printf("  \"rssKb\": {\"start\": %ld, \"afterWarmup\": %ld, \"middle\": %ld, \"end\": %ld, \"growthAfterWarmup\": %ld},\n",
           rss_start, rss_warm, rss_middle, rss_end, rss_end - rss_warm);
    printf("  \"threadsAfterLoad\": %ld,\n", threads_after_load);
    printf("  \"cycles\": {\"count\": %ld, \"seconds\": %.3f, \"failures\": %ld, \"rssKbAt100\": %ld, \"rssKbEnd\": %ld, "
           "\"threadsAt100\": %ld, \"threadsEnd\": %ld}\n}\n",
           cycles, cycles_elapsed / 1e3, cycle_failures, rss_cycles_start, rss_cycles_end, threads_cycles_start,
           threads_cycles_end);
    free(latencies_ms);
    free(ids);
    int ok = unexpected == 0 && cycle_failures == 0 && rss_end - rss_warm < max_growth_kb &&
             (cycles < 200 || (rss_cycles_end - rss_cycles_start < max_growth_kb && threads_cycles_end <= threads_cycles_start));
    if (!ok) fprintf(stderr, "load: FAILED (unexpected statuses %ld, cycle failures %ld, or growth)\n", unexpected, cycle_failures);
    return ok ? 0 : 1;
}
