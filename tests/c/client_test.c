/* C client of the partnercenter C ABI, run against the emulator binary.
 *
 * usage: client_test BASE_URL
 * Exercises the headline call, every error path a C caller can hit (NULL, non-UTF-8, bad
 * options, insecure URL, app-only), the last-error JSON, a device-code sign-in approved
 * through the emulator's admin path, and one client shared by 8 threads. Run under valgrind
 * by tests/c/run.sh. Prints "N passed, N failed" last.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "emulator_admin.h"
#include "partnercenter.h"

#define TENANT "emulator.onmicrosoft.com"
#define CLIENT_ID "00000000-0000-0000-0000-00000000e1e1"
#define CLIENT_SECRET "emulator-client-secret"
#define REFRESH_TOKEN "emulator-refresh-token"
#define PARTNER_ID "e1e1e1e1-1111-4111-8111-00000000e1e1"

static const char *base_url;


static char *options(const char *extra) {
    static const char *fmt = "{\"base_url\":\"%s\",\"authority\":\"%s\",\"tenant\":\"" TENANT
                             "\",\"client_id\":\"" CLIENT_ID "\"%s%s}";
    size_t n = strlen(fmt) + 2 * strlen(base_url) + strlen(extra) + 8;
    char *buf = malloc(n);
    snprintf(buf, n, fmt, base_url, base_url, *extra ? "," : "", extra);
    return buf;
}

static int last_error_has(const char *needle) {
    char *json = pc_last_error_json();
    int found = json != NULL && strstr(json, needle) != NULL;
    if (!found) fprintf(stderr, "  last error json: %s\n", json ? json : "(null)");
    pc_string_free(json);
    return found;
}

static int last_message_has(const char *needle) {
    char *msg = pc_last_error_message();
    int found = msg != NULL && strstr(msg, needle) != NULL;
    if (!found) fprintf(stderr, "  last error: %s\n", msg ? msg : "(null)");
    pc_string_free(msg);
    return found;
}

/* POST to the emulator's admin API with an empty JSON body; returns the HTTP status. */
static int admin_post(const char *path) { return emulator_post(base_url, path); }

static void test_link(void) {
    char *opts = options("\"refresh_token\":\"" REFRESH_TOKEN "\"");
    pc_client *client = NULL;
    pc_status st = pc_client_new(opts, &client);
    free(opts);
    CHECK(st == PC_OK && client != NULL, "pc_client_new: %s", pc_status_name(st));
    char *url = (char *)0x1, *json = (char *)0x1;
    st = pc_new_relationship_request(client, &url, &json);
    CHECK(st == PC_OK, "relationship request: %s", pc_status_name(st));
    CHECK(url && strstr(url, "https://admin.microsoft.com/") == url, "url %s", url ? url : "(null)");
    CHECK(url && strstr(url, PARTNER_ID), "url names the partner");
    CHECK(json && strstr(json, "\"objectType\":\"CustomerRelationshipRequest\""), "json %s", json ? json : "(null)");
    CHECK(json && strstr(json, "\"requestId\":\"") && strstr(json, "\"correlationId\":\""), "json ids");
    CHECK(pc_last_error_message() == NULL, "no last error after success");
    printf("%s\n", url ? url : "(null)");
    pc_string_free(url);
    pc_string_free(json);

    /* out_json is optional */
    url = NULL;
    st = pc_new_relationship_request(client, &url, NULL);
    CHECK(st == PC_OK && url != NULL, "out_json NULL is allowed");
    pc_string_free(url);

    char *rotated = NULL;
    st = pc_client_refresh_token(client, &rotated);
    CHECK(st == PC_OK && rotated && strcmp(rotated, REFRESH_TOKEN) != 0, "rotated refresh token");
    pc_string_free(rotated);

    char *info = NULL;
    st = pc_client_info(client, &info);
    CHECK(st == PC_OK && info && strstr(info, "\"credentialKind\":\"refresh_token\""), "info %s", info ? info : "(null)");
    CHECK(info && !strstr(info, REFRESH_TOKEN), "info holds no secret");
    pc_string_free(info);
    pc_client_free(client);
}

static void test_null_and_utf8(void) {
    pc_client *client = (pc_client *)0x1;
    CHECK(pc_client_new(NULL, &client) == PC_ERR_NULL_ARGUMENT, "NULL options");
    CHECK(client == NULL, "out_client set to NULL on failure");
    CHECK(last_message_has("options_json"), "message names the argument");
    CHECK(last_error_has("\"statusName\":\"PC_ERR_NULL_ARGUMENT\""), "json status name");
    CHECK(pc_client_new("{}", NULL) == PC_ERR_NULL_ARGUMENT, "NULL out_client");

    char *url = (char *)0x1, *json = (char *)0x1;
    CHECK(pc_new_relationship_request(NULL, &url, &json) == PC_ERR_NULL_ARGUMENT, "NULL client");
    CHECK(url == NULL && json == NULL, "outs set to NULL on failure");

    char *opts = options("\"refresh_token\":\"" REFRESH_TOKEN "\"");
    pc_client *good = NULL;
    CHECK(pc_client_new(opts, &good) == PC_OK, "client for NULL out tests");
    free(opts);
    CHECK(pc_new_relationship_request(good, NULL, NULL) == PC_ERR_NULL_ARGUMENT, "NULL out_url");
    CHECK(pc_client_refresh_token(good, NULL) == PC_ERR_NULL_ARGUMENT, "NULL out_refresh_token");
    CHECK(pc_client_refresh_token(NULL, &url) == PC_ERR_NULL_ARGUMENT, "NULL client for refresh token");
    CHECK(pc_client_info(good, NULL) == PC_ERR_NULL_ARGUMENT, "NULL info out");
    CHECK(pc_client_sign_in(NULL, NULL) == PC_ERR_NULL_ARGUMENT, "NULL sign-in client");
    pc_client_free(good);

    pc_device_code *flow = NULL;
    CHECK(pc_device_code_start(NULL, &flow, &json) == PC_ERR_NULL_ARGUMENT, "NULL device options");
    CHECK(pc_device_code_start("{}", NULL, &json) == PC_ERR_NULL_ARGUMENT, "NULL out_flow");
    CHECK(pc_device_code_start("{}", &flow, NULL) == PC_ERR_NULL_ARGUMENT, "NULL device out_json");
    CHECK(pc_device_code_wait(NULL, &good) == PC_ERR_NULL_ARGUMENT, "NULL flow wait");
    CHECK(pc_device_code_cancel(NULL) == PC_ERR_NULL_ARGUMENT, "NULL flow cancel");
    pc_device_code_free(NULL);
    pc_client_free(NULL);
    pc_string_free(NULL);

    const char bad_utf8[] = {'{', '"', 'x', (char)0xC3, (char)0x28, '"', ':', '1', '}', 0};
    CHECK(pc_client_new(bad_utf8, &client) == PC_ERR_INVALID_UTF8, "non-UTF-8 options");
    CHECK(last_error_has("\"kind\":\"InvalidUtf8\""), "kind InvalidUtf8");
}

static void test_bad_options(void) {
    pc_client *client = NULL;
    CHECK(pc_client_new("{\"tenat\":\"s3cret-value\"}", &client) == PC_ERR_INVALID_OPTIONS, "unknown key");
    CHECK(last_message_has("'tenat'"), "names the key");
    char *msg = pc_last_error_message();
    CHECK(msg && !strstr(msg, "s3cret-value"), "does not echo the value");
    pc_string_free(msg);
    CHECK(pc_client_new("{\"timeout_ms\":\"soon\",\"access_token\":\"t\"}", &client) == PC_ERR_INVALID_OPTIONS,
          "wrong type");
    CHECK(last_message_has("'timeout_ms'"), "names the mistyped key");
    CHECK(pc_client_new("{\"access_token\":", &client) == PC_ERR_INVALID_OPTIONS, "malformed JSON");
    CHECK(pc_client_new("[1,2]", &client) == PC_ERR_INVALID_OPTIONS, "not an object");
    CHECK(pc_client_new("", &client) == PC_ERR_INVALID_OPTIONS, "empty string");
    CHECK(pc_client_new("{}", &client) == PC_ERR_INVALID_OPTIONS, "no credentials");
    CHECK(pc_client_new("{\"base_url\":\"http://10.0.0.1\",\"access_token\":\"t\"}", &client) == PC_ERR_INSECURE_URL,
          "plain http to a non-loopback host");
    CHECK(last_message_has("https"), "says https is needed");
    CHECK(client == NULL, "no client on failure");
}

static void test_app_only_forbidden(void) {
    char *opts = options("\"client_secret\":\"" CLIENT_SECRET "\"");
    pc_client *client = NULL;
    CHECK(pc_client_new(opts, &client) == PC_OK, "app-only client");
    free(opts);
    char *url = NULL;
    pc_status st = pc_new_relationship_request(client, &url, NULL);
    CHECK(st == PC_ERR_FORBIDDEN, "app-only is forbidden: %s", pc_status_name(st));
    CHECK(last_message_has("App+User"), "the message says App+User is needed");
    CHECK(last_error_has("\"httpStatus\":403"), "http status in json");
    CHECK(last_error_has("\"requestId\":\""), "request id in json");
    char *rt = NULL, *msg = NULL;
    CHECK(pc_client_refresh_token(client, &rt) == PC_ERR_INVALID_ARGUMENT && rt == NULL, "no refresh token app-only");
    pc_client_free(client);

    char *bad = options("\"refresh_token\":\"wrong-refresh-token\"");
    CHECK(pc_client_new(bad, &client) == PC_OK, "client with a bad refresh token");
    free(bad);
    CHECK(pc_client_sign_in(client, NULL) == PC_ERR_AUTHENTICATION, "bad refresh token fails sign-in");
    CHECK(last_error_has("\"serviceCode\":\"AADSTS"), "AADSTS code");
    msg = pc_last_error_message();
    CHECK(msg && !strstr(msg, "wrong-refresh-token"), "the refresh token is not echoed");
    pc_string_free(msg);
    pc_client_free(client);
}

static void test_status_names(void) {
    CHECK(strcmp(pc_status_name(PC_OK), "PC_OK") == 0, "PC_OK name");
    CHECK(strcmp(pc_status_name(PC_ERR_THROTTLED), "PC_ERR_THROTTLED") == 0, "throttled name");
    CHECK(strcmp(pc_status_name(12345), "PC_UNKNOWN_STATUS") == 0, "unknown status");
    CHECK(strcmp(pc_status_name(-1), "PC_UNKNOWN_STATUS") == 0, "negative status");
    CHECK(pc_version() != NULL && strlen(pc_version()) > 0, "version");
}

static void test_device_code(void) {
    char *opts = options("");
    pc_device_code *flow = NULL;
    char *info = NULL;
    pc_status st = pc_device_code_start(opts, &flow, &info);
    free(opts);
    CHECK(st == PC_OK && flow && info, "device code start: %s", pc_status_name(st));
    CHECK(info && strstr(info, "\"userCode\":\"") && strstr(info, "\"message\":\""), "info %s", info ? info : "(null)");
    pc_string_free(info);
    CHECK(admin_post("/_emulator/device/approve") == 200, "approve through the admin path");
    pc_client *client = NULL;
    st = pc_device_code_wait(flow, &client);
    CHECK(st == PC_OK && client, "device code wait: %s", pc_status_name(st));
    char *url = NULL;
    CHECK(client && pc_new_relationship_request(client, &url, NULL) == PC_OK, "link after device sign-in");
    pc_string_free(url);
    pc_client_free(client);
    pc_device_code_free(flow);

    opts = options("");
    st = pc_device_code_start(opts, &flow, &info);
    free(opts);
    pc_string_free(info);
    CHECK(pc_device_code_cancel(flow) == PC_OK, "cancel");
    client = (pc_client *)0x1;
    CHECK(pc_device_code_wait(flow, &client) == PC_ERR_CANCELLED && client == NULL, "cancelled wait");
    pc_device_code_free(flow);
}

static int count(const char *haystack, const char *needle) {
    int n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* Copies the first "id":"..." value after `from` into `out`. */
static int first_id(const char *from, char *out, size_t size) {
    const char *p = strstr(from, "\"id\":\"");
    if (!p) return 0;
    p += 6;
    size_t i = 0;
    while (p[i] && p[i] != '"' && i + 1 < size) {
        out[i] = p[i];
        i++;
    }
    out[i] = 0;
    return 1;
}

static void test_customers(void) {
    char *opts = options("\"refresh_token\":\"" REFRESH_TOKEN "\"");
    pc_client *client = NULL;
    CHECK(pc_client_new(opts, &client) == PC_OK, "client for customers");
    free(opts);

    /* Every customer, page by page: 1203 seeded customers in pages of 500. */
    pc_customer_pages *pages = NULL;
    CHECK(pc_customer_pages_new(client, NULL, &pages) == PC_OK && pages, "cursor");
    int total = 0, page_count = 0;
    char first[64] = {0};
    for (;;) {
        char *page = NULL;
        pc_status st = pc_customer_pages_next(pages, &page);
        CHECK(st == PC_OK, "page %d: %s", page_count, pc_status_name(st));
        if (st != PC_OK || page == NULL) break;
        if (page_count == 0) first_id(page, first, sizeof first);
        total += count(page, "\"commerceId\"");
        page_count++;
        pc_string_free(page);
    }
    CHECK(total == 1203 && page_count == 3, "listed %d customers in %d pages", total, page_count);
    char *again = (char *)0x1;
    CHECK(pc_customer_pages_next(pages, &again) == PC_OK && again == NULL, "the end stays the end");
    pc_customer_pages_free(pages);

    /* A filtered listing stopped early: free the cursor after one page. */
    CHECK(pc_customer_pages_new(client, "{\"companyName\":\"a\",\"pageSize\":7}", &pages) == PC_OK, "filtered");
    char *page = NULL;
    CHECK(pc_customer_pages_next(pages, &page) == PC_OK && page && count(page, "\"commerceId\"") <= 7, "page of 7");
    pc_string_free(page);
    pc_customer_pages_free(pages);
    CHECK(pc_customer_pages_new(client, "{\"domian\":\"x\"}", &pages) == PC_ERR_INVALID_ARGUMENT && pages == NULL,
          "bad query");
    CHECK(last_message_has("'domian'"), "names the bad key");

    /* Get one, and a 404. */
    char *customer = NULL;
    CHECK(pc_get_customer(client, first, &customer) == PC_OK && customer && strstr(customer, first), "get %s", first);
    pc_string_free(customer);
    CHECK(pc_get_customer(client, "0f8fad5b-d9cb-469f-a165-70867728950e", &customer) == PC_ERR_NOT_FOUND &&
              customer == NULL,
          "404");
    CHECK(last_error_has("\"httpStatus\":404"), "404 in json");

    /* Billing: update with the ETag, then the same stale profile is a conflict. */
    char *profile = NULL;
    CHECK(pc_get_billing_profile(client, first, &profile) == PC_OK && profile && strstr(profile, "\"etag\":\"1\""),
          "billing profile %s", profile ? profile : "(null)");
    char *stored = NULL;
    CHECK(pc_update_billing_profile(client, first, profile, &stored) == PC_OK && stored &&
              strstr(stored, "\"etag\":\"2\"") && strstr(stored, "purchaseOrderReference"),
          "update bumps the ETag and keeps unknown fields");
    pc_string_free(stored);
    CHECK(pc_update_billing_profile(client, first, profile, NULL) == PC_ERR_CONFLICT, "stale ETag");
    CHECK(last_message_has("nothing was overwritten"), "says nothing was overwritten");
    pc_string_free(profile);

    /* Wait: a short timeout for a customer that never comes. */
    CHECK(pc_wait_for_customer(client, "{\"domain\":\"never.onmicrosoft.com\",\"timeoutMs\":300,\"pollIntervalMs\":100}",
                               &customer) == PC_ERR_TIMEOUT && customer == NULL,
          "wait times out");
    /* Remove the relationship. */
    CHECK(pc_remove_customer_relationship(client, first, &customer) == PC_OK && customer &&
              strstr(customer, "\"relationshipToPartner\":\"none\""),
          "relationship removed");
    pc_string_free(customer);
    pc_client_free(client);
}

struct shared {
    pc_client *client;
    int ok;
};

static void *worker(void *arg) {
    struct shared *s = arg;
    for (int i = 0; i < 5; i++) {
        char *url = NULL;
        if (pc_new_relationship_request(s->client, &url, NULL) == PC_OK && url && strstr(url, PARTNER_ID)) s->ok++;
        pc_string_free(url);
    }
    return NULL;
}

static void test_threads(void) {
    char *opts = options("\"refresh_token\":\"" REFRESH_TOKEN "\"");
    pc_client *client = NULL;
    CHECK(pc_client_new(opts, &client) == PC_OK, "shared client");
    free(opts);
    pthread_t threads[8];
    struct shared state[8];
    for (int i = 0; i < 8; i++) {
        state[i].client = client;
        state[i].ok = 0;
        pthread_create(&threads[i], NULL, worker, &state[i]);
    }
    int total = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        total += state[i].ok;
    }
    CHECK(total == 40, "8 threads x 5 calls on one client: %d ok", total);
    pc_client_free(client);
}

struct waiter {
    pc_client *client;
    pc_status status;
    char *customer;
    atomic_int done;
};

static void *wait_long(void *arg) {
    struct waiter *w = arg;
    w->status = pc_wait_for_customer(
        w->client, "{\"domain\":\"never.onmicrosoft.com\",\"timeoutMs\":60000,\"pollIntervalMs\":5000}",
        &w->customer);
    atomic_store(&w->done, 1);
    return NULL;
}

/* pc_client_cancel from this thread ends a wait blocked on another; later calls run. A cancel
 * only reaches a call already inside the library, so it is repeated every 50 ms until the wait
 * ends (under valgrind the waiting thread may take a while to get there). */
static void test_cancel(void) {
    char *opts = options("\"refresh_token\":\"" REFRESH_TOKEN "\"");
    pc_client *client = NULL;
    CHECK(pc_client_new(opts, &client) == PC_OK, "client for cancel");
    free(opts);
    CHECK(pc_client_cancel(client) == PC_OK, "a cancel with nothing in flight");
    struct waiter w = {client, PC_OK, (char *)0x1, 0};
    pthread_t thread;
    struct timespec start, end, pause = {0, 300 * 1000 * 1000}, tick = {0, 50 * 1000 * 1000};
    pthread_create(&thread, NULL, wait_long, &w);
    nanosleep(&pause, NULL);
    clock_gettime(CLOCK_MONOTONIC, &start);
    int cancels = 0;
    while (!atomic_load(&w.done) && cancels < 600) {
        CHECK(pc_client_cancel(client) == PC_OK, "cancel");
        cancels++;
        nanosleep(&tick, NULL);
    }
    pthread_join(thread, NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    CHECK(w.status == PC_ERR_CANCELLED && w.customer == NULL, "the wait ends cancelled: %s", pc_status_name(w.status));
    CHECK(seconds < 4.0, "promptly, not at the next poll: %.2f s after the first cancel", seconds);
    char *url = NULL;
    CHECK(pc_new_relationship_request(client, &url, NULL) == PC_OK && url, "a later call runs");
    pc_string_free(url);
    CHECK(pc_client_cancel(NULL) == PC_ERR_NULL_ARGUMENT, "cancel NULL");
    pc_client_free(client);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s BASE_URL\n", argv[0]);
        return 2;
    }
    base_url = argv[1];
    test_link();
    test_null_and_utf8();
    test_bad_options();
    test_app_only_forbidden();
    test_status_names();
    test_device_code();
    test_customers();
    test_threads();
    test_cancel();
    return report();
}
