/* C client of the GDAP admin-relationship functions of the partnercenter C ABI, run against the
 * emulator binary (Graph at BASE_URL/v1.0).
 *
 * usage: gdap_test BASE_URL
 * Walks create (locked) -> approve (through the emulator's admin path) -> wait -> assign ->
 * assignments -> list -> terminate -> wait (conflict), then the refusals: a taken name, a bad
 * duration, an unknown role (no request), NULL, non-UTF-8 and malformed arguments, a wait that
 * is cancelled and one that ends on an expired relationship. Run under valgrind by
 * tests/c/run.sh. Prints "N passed, N failed" last.
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
#define REFRESH_TOKEN "emulator-refresh-token"
#define GROUP_ID "6f1e2d3c-4b5a-4978-8675-a4b3c2d1e0f9"
#define DIRECTORY_READERS "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
#define NOT_UTF8 "\xff\xfe"
#define SENTINEL ((char *)0x1)

static const char *base_url;

static pc_client *new_client(void) {
    static const char *fmt = "{\"base_url\":\"%s\",\"authority\":\"%s\",\"graph_base_url\":\"%s/v1.0\","
                             "\"tenant\":\"" TENANT "\",\"client_id\":\"" CLIENT_ID
                             "\",\"refresh_token\":\"" REFRESH_TOKEN "\"}";
    size_t n = strlen(fmt) + 3 * strlen(base_url) + 1;
    char *opts = malloc(n);
    snprintf(opts, n, fmt, base_url, base_url, base_url);
    pc_client *client = NULL;
    pc_status st = pc_client_new(opts, &client);
    free(opts);
    CHECK(st == PC_OK && client != NULL, "pc_client_new: %s", pc_status_name(st));
    return client;
}

static int has(const char *json, const char *needle) {
    int found = json != NULL && strstr(json, needle) != NULL;
    if (!found) fprintf(stderr, "  no %s in: %s\n", needle, json ? json : "(null)");
    return found;
}

static int last_error_has(const char *needle) {
    char *json = pc_last_error_json();
    int found = has(json, needle);
    pc_string_free(json);
    return found;
}

/* The value of the first "key":"…" in json, malloc'd (or NULL). */
static char *field(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = json ? strstr(json, pattern) : NULL;
    if (start == NULL) return NULL;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (end == NULL) return NULL;
    char *value = malloc((size_t)(end - start) + 1);
    memcpy(value, start, (size_t)(end - start));
    value[end - start] = '\0';
    return value;
}

/* POST to the emulator's admin API with an empty JSON body; returns the HTTP status. */
static int admin_post(const char *path) { return emulator_post(base_url, path); }

static int control(const char *id, const char *action) {
    char path[256];
    snprintf(path, sizeof path, "/_emulator/admin-relationships/%s/%s", id, action);
    return admin_post(path);
}

/* Every relationship the listing gives for query (pageSize small, to page), as one count;
 * *found is set when one of them has the display name. */
static int list_all(pc_client *client, const char *query, const char *name, int *found) {
    pc_admin_relationship_pages *pages = NULL;
    pc_status st = pc_admin_relationship_pages_new(client, query, &pages);
    CHECK(st == PC_OK && pages != NULL, "pages_new %s: %s", query ? query : "NULL", pc_status_name(st));
    char needle[128];
    snprintf(needle, sizeof needle, "\"displayName\":\"%s\"", name);
    int count = 0, rounds = 0;
    *found = 0;
    for (;;) {
        char *page = SENTINEL;
        st = pc_admin_relationship_pages_next(pages, &page);
        CHECK(st == PC_OK, "pages_next: %s", pc_status_name(st));
        if (st != PC_OK || page == NULL || ++rounds > 100) {
            pc_string_free(page == SENTINEL ? NULL : page);
            break;
        }
        CHECK(page[0] == '[', "a page is an array: %s", page);
        for (const char *p = page; (p = strstr(p, "\"approvalUrl\":\"")) != NULL; p++) count++;
        if (strstr(page, needle)) *found = 1;
        pc_string_free(page);
    }
    pc_admin_relationship_pages_free(pages);
    return count;
}

static const char *CREATE_FMT = "{\"displayName\":\"%s\",\"duration\":\"%s\",\"roles\":[%s]%s}";

static pc_status create(pc_client *client, const char *name, const char *duration, const char *roles,
                        const char *extra, char **out) {
    char req[512];
    snprintf(req, sizeof req, CREATE_FMT, name, duration, roles, extra);
    return pc_admin_relationship_create(client, req, out);
}

/* create (locked) -> approve -> wait -> assign -> assignments -> list -> terminate. */
static void test_lifecycle(void) {
    pc_client *client = new_client();
    char *json = SENTINEL;
    char *info = NULL;
    CHECK(pc_client_info(client, &info) == PC_OK, "info");
    char graph[512];
    snprintf(graph, sizeof graph, "\"graphBaseUrl\":\"%s/v1.0\"", base_url);
    CHECK(has(info, graph), "the connection names its Graph address");
    pc_string_free(info);
    pc_status st = create(client, "C test relationship", "P730D",
                          "\"Directory Readers\",\"" DIRECTORY_READERS "\",\"Helpdesk Administrator\"", "", &json);
    CHECK(st == PC_OK, "create: %s", pc_status_name(st));
    CHECK(has(json, "\"status\":\"approvalPending\""), "created and locked");
    CHECK(has(json, "\"displayName\":\"C test relationship\""), "display name");
    CHECK(has(json, "\"duration\":\"P730D\""), "duration");
    CHECK(has(json, "\"roleDefinitionId\":\"" DIRECTORY_READERS "\""), "role resolved to its template id");
    CHECK(has(json, "\"approvalUrl\":\"https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/"),
          "approval link");
    CHECK(has(json, "\"@odata.etag\":"), "Graph's fields kept");
    char *last = pc_last_error_json();
    CHECK(last == NULL, "no last error after success: %s", last);
    pc_string_free(last);
    char *id = field(json, "id");
    CHECK(id != NULL && strlen(id) > 36, "an id: %s", id ? id : "(null)");
    char *url = field(json, "approvalUrl");
    CHECK(url && id && strstr(url, id), "the approval link names the id");
    free(url);
    pc_string_free(json);
    if (id == NULL) {
        pc_client_free(client);
        return;
    }

    json = SENTINEL;
    CHECK(pc_admin_relationship_get(client, id, &json) == PC_OK, "get");
    CHECK(has(json, id) && has(json, "\"status\":\"approvalPending\""), "get gives the same one");
    pc_string_free(json);

    /* Not active yet: a lock again and an assignment are refused by Graph. */
    json = SENTINEL;
    CHECK(pc_admin_relationship_lock(client, id, &json) == PC_ERR_CONFLICT, "lock twice: conflict");
    CHECK(json == NULL, "out NULL on failure");
    CHECK(last_error_has("\"serviceCode\":\"invalidStatusTransition\""), "lock twice: Graph's code");
    CHECK(pc_admin_relationship_assign(client, id, "{\"groupId\":\"" GROUP_ID "\",\"roles\":[\"Directory Readers\"]}",
                                       &json) == PC_ERR_CONFLICT,
          "assign before active: conflict");
    CHECK(last_error_has("\"serviceCode\":\"relationshipNotActive\""), "assign before active: Graph's code");

    /* A short wait times out while the customer has not approved. */
    CHECK(pc_admin_relationship_wait(client, id, "{\"timeoutMs\":300,\"pollIntervalMs\":100}", &json) == PC_ERR_TIMEOUT,
          "wait before approval: timeout");
    CHECK(json == NULL, "out NULL on timeout");

    CHECK(control(id, "approve") == 200, "the customer approves (emulator)");
    json = SENTINEL;
    st = pc_admin_relationship_wait(client, id, "{\"timeoutMs\":20000,\"pollIntervalMs\":100,\"maxPollIntervalMs\":200}", &json);
    CHECK(st == PC_OK, "wait: %s", pc_status_name(st));
    CHECK(has(json, "\"status\":\"active\""), "active");
    CHECK(has(json, "\"activatedDateTime\":\""), "activated");
    pc_string_free(json);

    /* An unknown role in an assignment: refused before any request. */
    json = SENTINEL;
    CHECK(pc_admin_relationship_assign(client, id, "{\"groupId\":\"" GROUP_ID "\",\"roles\":[\"Directory Reader\"]}",
                                       &json) == PC_ERR_INVALID_ARGUMENT,
          "assign an unknown role");
    CHECK(json == NULL && last_error_has("\"httpStatus\":null") && last_error_has("Directory Readers"),
          "no request; near names suggested");
    CHECK(pc_admin_relationship_assign(client, id, "{\"groupId\":\"not-a-guid\",\"roles\":[\"Directory Readers\"]}",
                                       &json) == PC_ERR_INVALID_ARGUMENT,
          "a group id that is not a GUID");
    CHECK(pc_admin_relationship_assign(client, id, "{\"groupId\":\"" GROUP_ID "\",\"roles\":[\"Global Reader\"]}",
                                       &json) == PC_ERR_BAD_REQUEST,
          "a role not in the relationship");
    CHECK(last_error_has("\"serviceCode\":\"roleNotInRelationship\""), "Graph's code for it");

    st = pc_admin_relationship_assign(client, id, "{\"groupId\":\"" GROUP_ID "\",\"roles\":[\"Directory Readers\"]}", &json);
    CHECK(st == PC_OK, "assign: %s", pc_status_name(st));
    CHECK(has(json, "\"accessContainerId\":\"" GROUP_ID "\""), "the group");
    CHECK(has(json, "\"roleDefinitionId\":\"" DIRECTORY_READERS "\""), "the role");
    CHECK(has(json, "\"status\":\""), "a status");
    char *assignment = field(json, "id");
    CHECK(assignment != NULL, "an assignment id");
    pc_string_free(json);

    json = SENTINEL;
    st = pc_admin_relationship_assignments(client, id, &json);
    CHECK(st == PC_OK, "assignments: %s", pc_status_name(st));
    CHECK(json && json[0] == '[', "an array");
    CHECK(assignment && has(json, assignment), "holds the assignment");
    CHECK(has(json, "\"accessContainerId\":\"" GROUP_ID "\""), "with its group");
    free(assignment);
    pc_string_free(json);

    /* Listing: all (one a page, so it pages), and by status. */
    int found = 0;
    int all = list_all(client, "{\"pageSize\":1}", "C test relationship", &found);
    CHECK(all >= 1 && found, "listed one a page: %d", all);
    int active = list_all(client, "{\"status\":\"active\"}", "C test relationship", &found);
    CHECK(active >= 1 && found, "listed as active: %d", active);
    list_all(client, "{\"status\":\"approvalPending\"}", "C test relationship", &found);
    CHECK(!found, "not listed as pending");
    int every = list_all(client, NULL, "C test relationship", &found);
    CHECK(every == all && found, "NULL query lists all: %d of %d", every, all);

    json = SENTINEL;
    st = pc_admin_relationship_terminate(client, id, &json);
    CHECK(st == PC_OK, "terminate: %s", pc_status_name(st));
    CHECK(has(json, "\"status\":\"terminat"), "terminating");
    pc_string_free(json);
    json = SENTINEL;
    st = pc_admin_relationship_wait(client, id, "{\"timeoutMs\":20000,\"pollIntervalMs\":100,\"maxPollIntervalMs\":200}", &json);
    CHECK(st == PC_ERR_CONFLICT && json == NULL, "wait on a terminated one: %s", pc_status_name(st));
    CHECK(last_error_has("terminated"), "the message says terminated");
    CHECK(pc_admin_relationship_terminate(client, id, &json) == PC_ERR_CONFLICT, "terminate twice");
    free(id);
    pc_client_free(client);
}

/* lockForApproval false: created, then locked by pc_admin_relationship_lock; an expired one
 * ends a wait with a conflict. */
static void test_unlocked_and_expired(void) {
    pc_client *client = new_client();
    char *json = NULL;
    pc_status st = create(client, "C test unlocked", "P30D", "\"Directory Readers\"",
                          ",\"lockForApproval\":false,\"autoExtend\":true,"
                          "\"customerTenantId\":\"4B827261-D21F-4AA9-B7DB-7FA1F56FB163\"",
                          &json);
    CHECK(st == PC_OK, "create unlocked: %s", pc_status_name(st));
    CHECK(has(json, "\"status\":\"created\""), "not locked");
    CHECK(has(json, "\"autoExtendDuration\":\"P180D\""), "auto-extends");
    CHECK(has(json, "\"tenantId\":\"4b827261-d21f-4aa9-b7db-7fa1f56fb163\""), "the customer, lower case");
    char *id = field(json, "id");
    pc_string_free(json);
    if (id == NULL) {
        pc_client_free(client);
        return;
    }
    json = NULL;
    CHECK(pc_admin_relationship_lock(client, id, &json) == PC_OK, "lock");
    CHECK(has(json, "\"status\":\"approvalPending\""), "locked");
    CHECK(has(json, "\"approvalUrl\":"), "with the link");
    pc_string_free(json);

    CHECK(control(id, "expire") == 200, "expire (emulator)");
    json = SENTINEL;
    st = pc_admin_relationship_wait(client, id, NULL, &json);
    CHECK(st == PC_ERR_CONFLICT && json == NULL, "wait on an expired one: %s", pc_status_name(st));
    CHECK(last_error_has("\"statusName\":\"PC_ERR_CONFLICT\"") && last_error_has("expired"), "says expired");
    free(id);
    pc_client_free(client);
}

/* What Graph refuses (the service's code, status and request id) and what the library refuses
 * before sending anything. */
static void test_refusals(void) {
    pc_client *client = new_client();
    char *json = NULL;
    CHECK(create(client, "C test duplicate", "P1D", "\"Directory Readers\"", ",\"lockForApproval\":false", &json) == PC_OK,
          "the first of a name");
    pc_string_free(json);
    json = SENTINEL;
    pc_status st = create(client, "c TEST duplicate", "P1D", "\"Directory Readers\"", "", &json);
    CHECK(st == PC_ERR_CONFLICT, "a taken name (any case): %s", pc_status_name(st));
    CHECK(json == NULL, "out NULL on failure");
    CHECK(last_error_has("\"serviceCode\":\"duplicateDisplayName\""), "Graph's code");
    CHECK(last_error_has("\"httpStatus\":409"), "the HTTP status");
    CHECK(last_error_has("\"requestId\":\""), "Graph's request-id");

    json = SENTINEL;
    st = create(client, "C test bad duration", "P3Y", "\"Directory Readers\"", "", &json);
    CHECK(st == PC_ERR_BAD_REQUEST && json == NULL, "a bad duration: %s", pc_status_name(st));
    CHECK(last_error_has("\"serviceCode\":\"invalidDuration\"") && last_error_has("\"httpStatus\":400"),
          "Graph's code for it");

    st = create(client, "C test unknown role", "P1D", "\"Helpdesk Admin\"", "", &json);
    CHECK(st == PC_ERR_INVALID_ARGUMENT && json == NULL, "an unknown role: %s", pc_status_name(st));
    CHECK(last_error_has("\"httpStatus\":null") && last_error_has("\"requestId\":null"), "no request was sent");
    CHECK(last_error_has("Helpdesk Administrator"), "near names suggested");
    CHECK(create(client, "C test no roles", "P1D", "", "", &json) == PC_ERR_INVALID_ARGUMENT, "no roles");
    CHECK(create(client, "C test global", "P1D", "\"Global Administrator\"", ",\"autoExtend\":true", &json) ==
              PC_ERR_INVALID_ARGUMENT,
          "Global Administrator with auto-extension");
    CHECK(create(client, "C test tenant", "P1D", "\"Directory Readers\"", ",\"customerTenantId\":\"contoso.com\"",
                 &json) == PC_ERR_INVALID_ARGUMENT,
          "a tenant id that is not a GUID");
    int found = 0;
    list_all(client, NULL, "C test unknown role", &found);
    CHECK(!found, "nothing was created for the unknown role");

    /* Malformed and mistyped JSON: named keys, never values. */
    static const char *bad[] = {
        "{\"displayName\":\"x\"",
        "not json",
        "[]",
        "{\"duration\":\"P1D\",\"roles\":[\"Directory Readers\"]}",
        "{\"displayName\":\"x\",\"roles\":[\"Directory Readers\"]}",
        "{\"displayName\":\"x\",\"duration\":\"P1D\"}",
        "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":\"Directory Readers\"}",
        "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\",1]}",
        "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\"],\"autoExtend\":1}",
        "{\"displayName\":\"\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\"]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json = SENTINEL;
        st = pc_admin_relationship_create(client, bad[i], &json);
        CHECK(st == PC_ERR_INVALID_ARGUMENT && json == NULL, "create %s: %s", bad[i], pc_status_name(st));
    }
    CHECK(pc_admin_relationship_create(client, "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\",null]}",
                                       &json) == PC_ERR_INVALID_ARGUMENT &&
              last_error_has("'roles'"),
          "a role that is not a string is named");
    CHECK(pc_admin_relationship_create(client, "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\"],\"lockForApproval\":\"no\"}",
                                       &json) == PC_ERR_INVALID_ARGUMENT &&
              last_error_has("'lockForApproval'"),
          "a flag that is not a boolean is named");
    CHECK(pc_admin_relationship_create(client, "{\"displayName\":\"x\"", &json) == PC_ERR_INVALID_ARGUMENT &&
              last_error_has("not valid JSON"),
          "malformed JSON says so");
    st = pc_admin_relationship_create(
        client, "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\"],\"secert\":\"hunter2\"}", &json);
    CHECK(st == PC_ERR_INVALID_ARGUMENT, "an unknown key");
    CHECK(last_error_has("'secert'"), "the key is named");
    char *msg = pc_last_error_json();
    CHECK(msg && !strstr(msg, "hunter2"), "the value is not echoed");
    pc_string_free(msg);

    pc_admin_relationship_pages *pages = (pc_admin_relationship_pages *)0x1;
    CHECK(pc_admin_relationship_pages_new(client, "{\"pageSize\":301}", &pages) == PC_ERR_INVALID_ARGUMENT && pages == NULL,
          "pageSize 301");
    CHECK(pc_admin_relationship_pages_new(client, "{\"pageSize\":0}", &pages) == PC_ERR_INVALID_ARGUMENT, "pageSize 0");
    CHECK(pc_admin_relationship_pages_new(client, "{\"domain\":\"x\"}", &pages) == PC_ERR_INVALID_ARGUMENT &&
              last_error_has("'domain'"),
          "an unknown listing key");
    CHECK(pc_admin_relationship_pages_new(client, "{\"status\":\"active' or 1 eq 1\"}", &pages) ==
              PC_ERR_INVALID_ARGUMENT,
          "a status that would change the filter");
    CHECK(pc_admin_relationship_pages_new(client, "{\"customerTenantId\":\"x\"}", &pages) == PC_ERR_INVALID_ARGUMENT,
          "a tenant that is not a GUID");
    CHECK(pc_admin_relationship_pages_new(client, "{\"pageSize\":", &pages) == PC_ERR_INVALID_ARGUMENT, "malformed listing");

    CHECK(pc_admin_relationship_wait(client, "a-b", "{\"tenantId\":\"x\"}", &json) == PC_ERR_INVALID_ARGUMENT &&
              last_error_has("'tenantId'"),
          "an unknown wait key");
    CHECK(pc_admin_relationship_wait(client, "a-b", "{\"timeoutMs\":-1}", &json) == PC_ERR_INVALID_ARGUMENT, "negative timeout");
    CHECK(pc_admin_relationship_wait(client, "a-b", "{", &json) == PC_ERR_INVALID_ARGUMENT, "malformed wait");
    CHECK(pc_admin_relationship_assign(client, "a-b", "{\"groupId\":\"" GROUP_ID "\"}", &json) == PC_ERR_INVALID_ARGUMENT,
          "an assignment without roles");
    CHECK(pc_admin_relationship_assign(client, "a-b", "{\"groupId\":\"" GROUP_ID "\",\"roles\":[],\"x\":1}", &json) ==
              PC_ERR_INVALID_ARGUMENT,
          "an unknown assignment key");
    CHECK(pc_admin_relationship_assign(client, "a-b", "}", &json) == PC_ERR_INVALID_ARGUMENT, "malformed assignment");

    /* Ids: unknown (Graph's 404) and ones that could not be a path segment (nothing sent). */
    json = SENTINEL;
    CHECK(pc_admin_relationship_get(client, "00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
                                    &json) == PC_ERR_NOT_FOUND && json == NULL,
          "an unknown id");
    CHECK(last_error_has("\"serviceCode\":\"ResourceNotFound\"") && last_error_has("\"httpStatus\":404"), "Graph's 404");
    CHECK(pc_admin_relationship_get(client, "../customers", &json) == PC_ERR_INVALID_ARGUMENT, "a dot segment");
    CHECK(last_error_has("\"httpStatus\":null"), "not sent");
    CHECK(pc_admin_relationship_get(client, "", &json) == PC_ERR_INVALID_ARGUMENT, "an empty id");
    CHECK(pc_admin_relationship_terminate(client, "a/b", &json) == PC_ERR_INVALID_ARGUMENT, "a slash");
    CHECK(pc_admin_relationship_assignments(client, "a?b", &json) == PC_ERR_INVALID_ARGUMENT, "a query");
    pc_client_free(client);
}

static void test_null_and_utf8(void) {
    pc_client *client = new_client();
    const char *req = "{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Readers\"]}";
    const char *assign = "{\"groupId\":\"" GROUP_ID "\",\"roles\":[\"Directory Readers\"]}";
    char *json = SENTINEL;
    pc_admin_relationship_pages *pages = (pc_admin_relationship_pages *)0x1;

    CHECK(pc_admin_relationship_create(NULL, req, &json) == PC_ERR_NULL_ARGUMENT && json == NULL, "create NULL client");
    CHECK(last_error_has("'client'"), "named");
    CHECK(pc_admin_relationship_create(client, NULL, &json) == PC_ERR_NULL_ARGUMENT && last_error_has("'request_json'"),
          "create NULL request");
    CHECK(pc_admin_relationship_create(client, req, NULL) == PC_ERR_NULL_ARGUMENT && last_error_has("'out_json'"),
          "create NULL out");
    CHECK(pc_admin_relationship_lock(NULL, "a-b", &json) == PC_ERR_NULL_ARGUMENT, "lock NULL client");
    CHECK(pc_admin_relationship_lock(client, NULL, &json) == PC_ERR_NULL_ARGUMENT && last_error_has("'id'"), "lock NULL id");
    CHECK(pc_admin_relationship_lock(client, "a-b", NULL) == PC_ERR_NULL_ARGUMENT, "lock NULL out");
    CHECK(pc_admin_relationship_get(NULL, "a-b", &json) == PC_ERR_NULL_ARGUMENT, "get NULL client");
    CHECK(pc_admin_relationship_get(client, NULL, &json) == PC_ERR_NULL_ARGUMENT, "get NULL id");
    CHECK(pc_admin_relationship_get(client, "a-b", NULL) == PC_ERR_NULL_ARGUMENT, "get NULL out");
    CHECK(pc_admin_relationship_pages_new(NULL, NULL, &pages) == PC_ERR_NULL_ARGUMENT && pages == NULL,
          "pages_new NULL client");
    CHECK(pc_admin_relationship_pages_new(client, NULL, NULL) == PC_ERR_NULL_ARGUMENT, "pages_new NULL out");
    json = SENTINEL;
    CHECK(pc_admin_relationship_pages_next(NULL, &json) == PC_ERR_NULL_ARGUMENT && json == NULL, "pages_next NULL cursor");
    CHECK(last_error_has("'pages'"), "named");
    pc_admin_relationship_pages_free(NULL);
    CHECK(pc_admin_relationship_pages_new(client, NULL, &pages) == PC_OK && pages, "a cursor");
    CHECK(pc_admin_relationship_pages_next(pages, NULL) == PC_ERR_NULL_ARGUMENT, "pages_next NULL out");
    pc_admin_relationship_pages_free(pages); /* freed unused: no request was made */
    CHECK(pc_admin_relationship_wait(NULL, "a-b", NULL, &json) == PC_ERR_NULL_ARGUMENT, "wait NULL client");
    CHECK(pc_admin_relationship_wait(client, NULL, NULL, &json) == PC_ERR_NULL_ARGUMENT, "wait NULL id");
    CHECK(pc_admin_relationship_wait(client, "a-b", NULL, NULL) == PC_ERR_NULL_ARGUMENT, "wait NULL out");
    CHECK(pc_admin_relationship_assign(NULL, "a-b", assign, &json) == PC_ERR_NULL_ARGUMENT, "assign NULL client");
    CHECK(pc_admin_relationship_assign(client, NULL, assign, &json) == PC_ERR_NULL_ARGUMENT, "assign NULL id");
    CHECK(pc_admin_relationship_assign(client, "a-b", NULL, &json) == PC_ERR_NULL_ARGUMENT, "assign NULL request");
    CHECK(pc_admin_relationship_assign(client, "a-b", assign, NULL) == PC_ERR_NULL_ARGUMENT, "assign NULL out");
    CHECK(pc_admin_relationship_assignments(NULL, "a-b", &json) == PC_ERR_NULL_ARGUMENT, "assignments NULL client");
    CHECK(pc_admin_relationship_assignments(client, NULL, &json) == PC_ERR_NULL_ARGUMENT, "assignments NULL id");
    CHECK(pc_admin_relationship_assignments(client, "a-b", NULL) == PC_ERR_NULL_ARGUMENT, "assignments NULL out");
    CHECK(pc_admin_relationship_terminate(NULL, "a-b", &json) == PC_ERR_NULL_ARGUMENT, "terminate NULL client");
    CHECK(pc_admin_relationship_terminate(client, NULL, &json) == PC_ERR_NULL_ARGUMENT, "terminate NULL id");
    CHECK(pc_admin_relationship_terminate(client, "a-b", NULL) == PC_ERR_NULL_ARGUMENT, "terminate NULL out");

    json = SENTINEL;
    CHECK(pc_admin_relationship_create(client, "{\"displayName\":\"" NOT_UTF8 "\"}", &json) == PC_ERR_INVALID_UTF8 &&
              json == NULL,
          "create non-UTF-8");
    CHECK(last_error_has("'request_json'"), "named");
    CHECK(pc_admin_relationship_lock(client, NOT_UTF8, &json) == PC_ERR_INVALID_UTF8, "lock non-UTF-8");
    CHECK(pc_admin_relationship_get(client, "a-" NOT_UTF8, &json) == PC_ERR_INVALID_UTF8, "get non-UTF-8");
    pages = (pc_admin_relationship_pages *)0x1;
    CHECK(pc_admin_relationship_pages_new(client, "{\"status\":\"" NOT_UTF8 "\"}", &pages) == PC_ERR_INVALID_UTF8 &&
              pages == NULL,
          "pages_new non-UTF-8");
    CHECK(pc_admin_relationship_wait(client, NOT_UTF8, NULL, &json) == PC_ERR_INVALID_UTF8, "wait non-UTF-8 id");
    CHECK(pc_admin_relationship_wait(client, "a-b", "{" NOT_UTF8 "}", &json) == PC_ERR_INVALID_UTF8 &&
              last_error_has("'query_json'"),
          "wait non-UTF-8 query");
    CHECK(pc_admin_relationship_assign(client, NOT_UTF8, assign, &json) == PC_ERR_INVALID_UTF8, "assign non-UTF-8 id");
    CHECK(pc_admin_relationship_assign(client, "a-b", NOT_UTF8, &json) == PC_ERR_INVALID_UTF8, "assign non-UTF-8 request");
    CHECK(pc_admin_relationship_assignments(client, NOT_UTF8, &json) == PC_ERR_INVALID_UTF8, "assignments non-UTF-8");
    CHECK(pc_admin_relationship_terminate(client, NOT_UTF8, &json) == PC_ERR_INVALID_UTF8, "terminate non-UTF-8");
    CHECK(json == NULL, "out stays NULL");
    pc_client_free(client);
}

struct waiter {
    pc_client *client;
    const char *id;
    pc_status status;
    char *json;
    atomic_int done;
};

static void *wait_long(void *arg) {
    struct waiter *w = arg;
    w->status = pc_admin_relationship_wait(w->client, w->id, "{\"timeoutMs\":60000,\"pollIntervalMs\":5000}", &w->json);
    atomic_store(&w->done, 1);
    return NULL;
}

/* pc_client_cancel from this thread ends a wait blocked on another. */
static void test_cancel(void) {
    pc_client *client = new_client();
    char *json = NULL;
    CHECK(create(client, "C test cancel", "P1D", "\"Directory Readers\"", "", &json) == PC_OK, "create for cancel");
    char *id = field(json, "id");
    pc_string_free(json);
    if (id == NULL) {
        pc_client_free(client);
        return;
    }
    struct waiter w = {client, id, -1, NULL, 0};
    pthread_t thread;
    struct timespec pause = {0, 300 * 1000 * 1000}, tick = {0, 50 * 1000 * 1000};
    pthread_create(&thread, NULL, wait_long, &w);
    nanosleep(&pause, NULL);
    int cancels = 0;
    while (!atomic_load(&w.done) && cancels < 200) {
        pc_client_cancel(client);
        cancels++;
        nanosleep(&tick, NULL);
    }
    pthread_join(thread, NULL);
    CHECK(w.status == PC_ERR_CANCELLED && w.json == NULL, "the wait ends cancelled: %s", pc_status_name(w.status));
    CHECK(cancels < 40, "promptly: %d cancels", cancels);
    json = NULL;
    CHECK(pc_admin_relationship_get(client, id, &json) == PC_OK && has(json, "approvalPending"), "a later call runs");
    pc_string_free(json);
    free(id);
    pc_client_free(client);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s BASE_URL\n", argv[0]);
        return 2;
    }
    base_url = argv[1];
    test_null_and_utf8();
    test_lifecycle();
    test_unlocked_and_expired();
    test_refusals();
    test_cancel();
    return report();
}
