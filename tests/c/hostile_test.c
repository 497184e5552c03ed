/* Hostile caller: every exported function with NULL in each pointer, non-UTF-8, empty and
 * overlong (> 1 MiB) strings, malformed, deeply nested and huge JSON, and a wrong type for
 * every option. Every case must answer a status and a message; none may crash or leak.
 * Needs no server: nothing here reaches the network (a client is made but never called,
 * except with a base URL that nothing listens on).
 * Using a pointer after freeing it is the caller's error (undefined behaviour) and is not
 * exercised; the library's own API never hands out a pointer it has freed.
 * Prints "N passed, N failed" last. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "partnercenter.h"



/* The last error must exist, be non-empty and not contain `forbidden` (a value we passed). */
static int explained(const char *forbidden) {
    char *msg = pc_last_error_message();
    char *json = pc_last_error_json();
    int ok = msg && *msg && json && strstr(json, "\"statusName\":\"PC_");
    if (ok && forbidden) ok = !strstr(msg, forbidden) && !strstr(json, forbidden);
    if (!ok) fprintf(stderr, "  message: %s\n  json: %s\n", msg ? msg : "(null)", json ? json : "(null)");
    pc_string_free(msg);
    pc_string_free(json);
    return ok;
}

static char *repeat(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

static const char BAD_UTF8[] = {'{', '"', 'a', (char)0xFF, (char)0xFE, '"', ':', '1', '}', 0};
static const char OPTS[] = "{\"base_url\":\"http://127.0.0.1:9\",\"access_token\":\"t\",\"max_retries\":0,"
                           "\"timeout_ms\":2000}";

static void null_arguments(pc_client *client) {
    char *s = (char *)0x1;
    pc_client *c = (pc_client *)0x1;
    pc_device_code *flow = (pc_device_code *)0x1;
    pc_customer_pages *pages = (pc_customer_pages *)0x1;

    CHECK(pc_client_new(NULL, &c) == PC_ERR_NULL_ARGUMENT && c == NULL && explained(NULL), "client_new options");
    CHECK(pc_client_new(OPTS, NULL) == PC_ERR_NULL_ARGUMENT && explained(NULL), "client_new out");
    s = (char *)0x1;
    CHECK(pc_new_relationship_request(NULL, &s, NULL) == PC_ERR_NULL_ARGUMENT && s == NULL, "rr client");
    CHECK(pc_new_relationship_request(client, NULL, NULL) == PC_ERR_NULL_ARGUMENT, "rr out_url");
    s = (char *)0x1;
    CHECK(pc_client_refresh_token(NULL, &s) == PC_ERR_NULL_ARGUMENT && s == NULL, "refresh client");
    CHECK(pc_client_refresh_token(client, NULL) == PC_ERR_NULL_ARGUMENT, "refresh out");
    CHECK(pc_client_sign_in(NULL, NULL) == PC_ERR_NULL_ARGUMENT, "sign_in client");
    CHECK(pc_client_cancel(NULL) == PC_ERR_NULL_ARGUMENT && explained(NULL), "cancel client");
    CHECK(pc_client_info(NULL, &s) == PC_ERR_NULL_ARGUMENT, "info client");
    CHECK(pc_client_info(client, NULL) == PC_ERR_NULL_ARGUMENT, "info out");

    CHECK(pc_device_code_start(NULL, &flow, &s) == PC_ERR_NULL_ARGUMENT && flow == NULL && s == NULL, "dc options");
    CHECK(pc_device_code_start(OPTS, NULL, &s) == PC_ERR_NULL_ARGUMENT, "dc out_flow");
    CHECK(pc_device_code_start(OPTS, &flow, NULL) == PC_ERR_NULL_ARGUMENT, "dc out_json");
    c = (pc_client *)0x1;
    CHECK(pc_device_code_wait(NULL, &c) == PC_ERR_NULL_ARGUMENT && c == NULL, "dc wait flow");
    CHECK(pc_device_code_cancel(NULL) == PC_ERR_NULL_ARGUMENT, "dc cancel");

    CHECK(pc_customer_pages_new(NULL, NULL, &pages) == PC_ERR_NULL_ARGUMENT && pages == NULL, "pages client");
    CHECK(pc_customer_pages_new(client, NULL, NULL) == PC_ERR_NULL_ARGUMENT, "pages out");
    CHECK(pc_customer_pages_next(NULL, &s) == PC_ERR_NULL_ARGUMENT, "pages_next pages");
    CHECK(pc_get_customer(NULL, "id", &s) == PC_ERR_NULL_ARGUMENT, "get client");
    CHECK(pc_get_customer(client, NULL, &s) == PC_ERR_NULL_ARGUMENT, "get id");
    CHECK(pc_get_customer(client, "id", NULL) == PC_ERR_NULL_ARGUMENT, "get out");
    CHECK(pc_remove_customer_relationship(NULL, "id", NULL) == PC_ERR_NULL_ARGUMENT, "remove client");
    CHECK(pc_remove_customer_relationship(client, NULL, NULL) == PC_ERR_NULL_ARGUMENT, "remove id");
    CHECK(pc_wait_for_customer(NULL, "{}", &s) == PC_ERR_NULL_ARGUMENT, "wait client");
    CHECK(pc_wait_for_customer(client, NULL, &s) == PC_ERR_NULL_ARGUMENT, "wait query");
    CHECK(pc_wait_for_customer(client, "{}", NULL) == PC_ERR_NULL_ARGUMENT, "wait out");
    CHECK(pc_get_billing_profile(NULL, "id", &s) == PC_ERR_NULL_ARGUMENT, "billing client");
    CHECK(pc_get_billing_profile(client, NULL, &s) == PC_ERR_NULL_ARGUMENT, "billing id");
    CHECK(pc_get_billing_profile(client, "id", NULL) == PC_ERR_NULL_ARGUMENT, "billing out");
    CHECK(pc_update_billing_profile(NULL, "id", "{}", NULL) == PC_ERR_NULL_ARGUMENT, "update client");
    CHECK(pc_update_billing_profile(client, NULL, "{}", NULL) == PC_ERR_NULL_ARGUMENT, "update id");
    CHECK(pc_update_billing_profile(client, "id", NULL, NULL) == PC_ERR_NULL_ARGUMENT, "update profile");

    pc_client_free(NULL);
    pc_device_code_free(NULL);
    pc_customer_pages_free(NULL);
    pc_string_free(NULL);
    passed++;
}

static void bad_strings(pc_client *client) {
    char *s = NULL;
    pc_client *c = NULL;
    pc_device_code *flow = NULL;
    pc_customer_pages *pages = NULL;
    CHECK(pc_client_new(BAD_UTF8, &c) == PC_ERR_INVALID_UTF8 && explained(NULL), "options utf8");
    CHECK(pc_device_code_start(BAD_UTF8, &flow, &s) == PC_ERR_INVALID_UTF8, "dc utf8");
    CHECK(pc_customer_pages_new(client, BAD_UTF8, &pages) == PC_ERR_INVALID_UTF8, "query utf8");
    CHECK(pc_get_customer(client, BAD_UTF8, &s) == PC_ERR_INVALID_UTF8, "id utf8");
    CHECK(pc_remove_customer_relationship(client, BAD_UTF8, NULL) == PC_ERR_INVALID_UTF8, "remove utf8");
    CHECK(pc_wait_for_customer(client, BAD_UTF8, &s) == PC_ERR_INVALID_UTF8, "wait utf8");
    CHECK(pc_get_billing_profile(client, BAD_UTF8, &s) == PC_ERR_INVALID_UTF8, "billing utf8");
    CHECK(pc_update_billing_profile(client, "id", BAD_UTF8, NULL) == PC_ERR_INVALID_UTF8, "profile utf8");

    CHECK(pc_client_new("", &c) == PC_ERR_INVALID_OPTIONS && explained(NULL), "empty options");
    CHECK(pc_get_customer(client, "", &s) == PC_ERR_INVALID_ARGUMENT && explained(NULL), "empty id");
    CHECK(pc_customer_pages_new(client, "", &pages) == PC_ERR_INVALID_ARGUMENT, "empty query");
    CHECK(pc_wait_for_customer(client, "", &s) == PC_ERR_INVALID_ARGUMENT, "empty wait query");
    CHECK(pc_update_billing_profile(client, "id", "", NULL) == PC_ERR_INVALID_ARGUMENT, "empty profile");

    /* Overlong: 2 MiB strings. */
    size_t big = 2u << 20;
    char *long_value = repeat('x', big);
    char *opts = malloc(big + 64);
    snprintf(opts, big + 64, "{\"tenant\":\"%s\",\"client_id\":\"a\",\"client_secret\":\"b\"}", long_value);
    CHECK(pc_client_new(opts, &c) == PC_ERR_INVALID_OPTIONS && c == NULL && explained(long_value), "2 MiB tenant");
    snprintf(opts, big + 64, "{\"%s\":1}", long_value);
    CHECK(pc_client_new(opts, &c) == PC_ERR_INVALID_OPTIONS && explained(long_value), "2 MiB key");
    CHECK(pc_get_customer(client, long_value, &s) == PC_ERR_INVALID_ARGUMENT && explained(long_value), "2 MiB id");
    free(opts);
    free(long_value);
}

static void bad_json(void) {
    pc_client *c = NULL;
    const char *malformed[] = {"{", "}", "{\"a\"}", "[1,2", "{\"access_token\":\"t\",}", "null", "42",
                               "\"str\"", "{\"access_token\":\"t\"} trailing", "\xEF\xBB\xBF"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        CHECK(pc_client_new(malformed[i], &c) == PC_ERR_INVALID_OPTIONS && c == NULL && explained(NULL),
              "malformed #%zu", i);
    }
    /* 10,000 levels of nesting, as arrays and as objects. */
    size_t depth = 10000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = 0;
    CHECK(pc_client_new(deep, &c) == PC_ERR_INVALID_OPTIONS && explained(NULL), "deep arrays");
    free(deep);
    char *deep_obj = malloc(7 * depth + 8);
    char *p = deep_obj;
    for (size_t i = 0; i < depth; i++) p += sprintf(p, "{\"a\":");
    p += sprintf(p, "1");
    for (size_t i = 0; i < depth; i++) *p++ = '}';
    *p = 0;
    CHECK(pc_client_new(deep_obj, &c) == PC_ERR_INVALID_OPTIONS && explained(NULL), "deep objects");
    free(deep_obj);
    /* Huge: 8 MiB of valid JSON with one unknown key among 300,000. */
    size_t n = 300000;
    char *huge = malloc(n * 28 + 64);
    p = huge;
    p += sprintf(p, "{");
    for (size_t i = 0; i < n; i++) p += sprintf(p, "\"padding_key_%07zu\":null,", i);
    p += sprintf(p, "\"access_token\":\"t\"}");
    CHECK(pc_client_new(huge, &c) == PC_ERR_INVALID_OPTIONS && explained(NULL), "huge options");
    free(huge);
}

/* Every option key with a value of every wrong type: refused, the key named, the value not echoed. */
static void wrong_types(void) {
    const char *string_keys[] = {"environment", "base_url", "authority", "tenant", "client_id", "client_secret",
                                 "refresh_token", "access_token", "correlation_id", "locale", "application_name",
                                 "ca_certificate_pem"};
    const char *number_keys[] = {"timeout_ms", "connect_timeout_ms", "attempt_timeout_ms", "max_retries",
                                 "max_retry_after_ms", "max_response_bytes"};
    const char *not_strings[] = {"987654321", "true", "[\"zz-secret-zz\"]", "{\"k\":\"zz-secret-zz\"}"};
    const char *not_numbers[] = {"\"zz-secret-zz\"", "true", "[1]", "{\"k\":1}", "-5", "1.5"};
    char opts[256];
    pc_client *c = NULL;
    for (size_t k = 0; k < sizeof string_keys / sizeof *string_keys; k++) {
        for (size_t v = 0; v < sizeof not_strings / sizeof *not_strings; v++) {
            snprintf(opts, sizeof opts, "{\"%s\":%s}", string_keys[k], not_strings[v]);
            pc_status st = pc_client_new(opts, &c);
            char *msg = pc_last_error_message();
            CHECK(st == PC_ERR_INVALID_OPTIONS && msg && strstr(msg, string_keys[k]) && !strstr(msg, "zz-secret-zz") &&
                      !strstr(msg, "987654321"),
                  "%s -> %s: %s", opts, pc_status_name(st), msg ? msg : "(null)");
            pc_string_free(msg);
        }
    }
    for (size_t k = 0; k < sizeof number_keys / sizeof *number_keys; k++) {
        for (size_t v = 0; v < sizeof not_numbers / sizeof *not_numbers; v++) {
            snprintf(opts, sizeof opts, "{\"access_token\":\"t\",\"%s\":%s}", number_keys[k], not_numbers[v]);
            pc_status st = pc_client_new(opts, &c);
            char *msg = pc_last_error_message();
            CHECK(st == PC_ERR_INVALID_OPTIONS && msg && strstr(msg, number_keys[k]) && !strstr(msg, "zz-secret-zz"),
                  "%s -> %s: %s", opts, pc_status_name(st), msg ? msg : "(null)");
            pc_string_free(msg);
        }
    }
}

static void out_of_range_number(void) {
    pc_client *c = NULL;
    CHECK(pc_client_new("{\"access_token\":\"t\",\"timeout_ms\":1e400}", &c) == PC_ERR_INVALID_OPTIONS &&
              explained(NULL),
          "a number beyond f64 is a JSON error");
}

static void statuses(void) {
    int ok = 1;
    for (int v = -1000; v <= 1000; v++) ok &= pc_status_name(v) != NULL && strncmp(pc_status_name(v), "PC_", 3) == 0;
    ok &= pc_status_name(INT32_MIN) != NULL && pc_status_name(INT32_MAX) != NULL;
    CHECK(ok, "every int has a status name");
    CHECK(pc_version() && strchr(pc_version(), '.'), "version");
}

static void nothing_listening(pc_client *client) {
    char *url = (char *)0x1;
    pc_status st = pc_new_relationship_request(client, &url, NULL);
    CHECK(st == PC_ERR_NETWORK && url == NULL && explained(NULL), "nothing listening: %s", pc_status_name(st));
    pc_customer_pages *pages = NULL;
    CHECK(pc_customer_pages_new(client, "{\"pageSize\":7}", &pages) == PC_OK, "cursor made without I/O");
    char *page = (char *)0x1;
    CHECK(pc_customer_pages_next(pages, &page) == PC_ERR_NETWORK && page == NULL, "page over a dead port");
    pc_customer_pages_free(pages);
    CHECK(pc_update_billing_profile(client, "id", "{\"email\":\"a@b\"}", NULL) == PC_ERR_INVALID_ARGUMENT &&
              explained(NULL),
          "update without an etag is refused before sending");
}

#ifdef PC_TEST_EXPORTS
/* A panic must not write to the host's stderr: fd 2 goes to a temporary file while the panics
 * run, and the file must stay empty (the text belongs in the last error only). */
static void panics(void) {
    fflush(stderr);
    int saved = dup(2);
    FILE *sink = tmpfile();
    CHECK(saved >= 0 && sink != NULL, "stderr can be redirected");
    if (sink) dup2(fileno(sink), 2);
    int statuses_ok = 1, texts_ok = 1;
    for (int i = 0; i < 3; i++) {
        statuses_ok &= pc_test_panic() == PC_ERR_PANIC;
        char *msg = pc_last_error_message();
        texts_ok &= msg != NULL && strstr(msg, "deliberate test panic") != NULL;
        pc_string_free(msg);
    }
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    CHECK(statuses_ok, "panic becomes PC_ERR_PANIC");
    CHECK(texts_ok, "panic text recorded in the last error");
    if (sink) {
        char printed[512] = {0};
        rewind(sink);
        size_t n = fread(printed, 1, sizeof printed - 1, sink);
        CHECK(n == 0, "a panic printed nothing to stderr, got: %s", printed);
        fclose(sink);
    }
    CHECK(strcmp(pc_status_name(PC_ERR_PANIC), "PC_ERR_PANIC") == 0, "the process lives on");
}
#endif

int main(void) {
    pc_client *client = NULL;
    if (pc_client_new(OPTS, &client) != PC_OK) {
        fprintf(stderr, "cannot make the test client\n");
        return 1;
    }
    null_arguments(client);
    bad_strings(client);
    bad_json();
    wrong_types();
    out_of_range_number();
    statuses();
    nothing_listening(client);
#ifdef PC_TEST_EXPORTS
    panics();
#else
    fprintf(stderr, "built without PC_TEST_EXPORTS: the panic guard is tested in Rust only\n");
#endif
    pc_client_free(client);
    return report();
}
