/* SIGPIPE: no library call may kill a C host that keeps the default SIGPIPE disposition.
 *
 * usage: sigpipe_test BASE_URL [token|put|headers]   (the optional word runs that path alone)
 * The process resets SIGPIPE to SIG_DFL and unblocks it, as a plain C program has it, then
 * drives every write path the library has (the token form, a PUT body, the request headers)
 * into a peer that closes the connection while the library is still writing:
 * - a hostile loopback server started here, which reads a few bytes of each request, answers
 *   413, and closes with the rest unread, so later writes get EPIPE;
 * - the emulator at BASE_URL, which refuses an 8 MiB header (and, for an 8 MiB body, reads it
 *   out before it answers 413 and closes, so that path now checks the answer more than EPIPE;
 *   the hostile server keeps the EPIPE path covered).
 * Before the fix this process died with SIGPIPE (exit 141) at the first such write. It also
 * checks that the library leaves the disposition and this thread's signal mask as it found them.
 * Prints "N passed, N failed" last.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "partnercenter.h"

#define TENANT "emulator.onmicrosoft.com"
#define CLIENT_ID "00000000-0000-0000-0000-00000000e1e1"
#define CUSTOMER "c0000000-0000-4000-8000-000000000001"
#define BIG (8u << 20)
/* Each path is driven this many times: the race between the peer's reset and the library's
 * writes is lost at least once in a few runs, and a lost race used to be a dead process. */
#define ROUNDS 3

static atomic_int stop_server;
static int server_fd;
static int server_port;

/* Accepts until told to stop; reads a little of each request, then resets the connection. */
static void *hostile_server(void *arg) {
    (void)arg;
    /* Bounded: the test stops the server after its last call; 600 s is the backstop. */
    for (int tick = 0; tick < 6000 && !atomic_load(&stop_server); tick++) {
        struct pollfd p = {.fd = server_fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0) continue;
        int conn = accept(server_fd, NULL, NULL);
        if (conn < 0) continue;
        char buf[64];
        (void)!read(conn, buf, sizeof buf);
        /* An answer and a FIN first (the library's side goes to CLOSE_WAIT), then a close with
         * the rest of the request unread, which resets: the next write gets EPIPE, as against
         * a real server that refuses a large body. A reset alone gives ECONNRESET instead. */
        static const char answer[] = "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n"
                                     "Connection: close\r\n\r\n";
        (void)!write(conn, answer, sizeof answer - 1);
        shutdown(conn, SHUT_WR);
        nanosleep(&(struct timespec){.tv_nsec = 20 * 1000 * 1000}, NULL);
        close(conn);
    }
    return NULL;
}

static void start_server(pthread_t *thread) {
    server_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(server_fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(server_fd, 16) != 0 ||
        getsockname(server_fd, (struct sockaddr *)&addr, &len) != 0) {
        perror("hostile server");
        exit(2);
    }
    server_port = ntohs(addr.sin_port);
    pthread_create(thread, NULL, hostile_server, NULL);
}

static char *filled(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

/* A client for `base` with `extra` options; NULL (and a failed check) if it cannot be made. */
static pc_client *client_for(const char *base, const char *extra) {
    size_t n = strlen(extra) + 2 * strlen(base) + 256;
    char *json = malloc(n);
    snprintf(json, n,
             "{\"base_url\":\"%s\",\"authority\":\"%s\",\"tenant\":\"" TENANT
             "\",\"client_id\":\"" CLIENT_ID "\",\"max_retries\":0,\"timeout_ms\":20000,%s}",
             base, base, extra);
    pc_client *client = NULL;
    pc_status status = pc_client_new(json, &client);
    CHECK(status == PC_OK, "pc_client_new: %s", pc_status_name(status));
    free(json);
    return client;
}

/* A billing profile of about `size` bytes, with the ETag an update needs. */
static char *big_profile(size_t size) {
    char *pad = filled('x', size);
    size_t n = size + 256;
    char *json = malloc(n);
    snprintf(json, n,
             "{\"id\":\"p\",\"firstName\":\"%s\",\"attributes\":{\"etag\":\"e1\",\"objectType\":"
             "\"CustomerBillingProfile\"}}",
             pad);
    free(pad);
    return json;
}

/* The token form: an 8 MiB refresh token posted to the token endpoint. */
static void token_form(const char *base) {
    char *token = filled('r', BIG);
    size_t n = BIG + 64;
    char *extra = malloc(n);
    snprintf(extra, n, "\"refresh_token\":\"%s\"", token);
    free(token);
    pc_client *client = client_for(base, extra);
    free(extra);
    for (int i = 0; client && i < ROUNDS; i++) {
        char *out = NULL;
        pc_status status = pc_client_sign_in(client, &out);
        CHECK(status != PC_OK, "token form to %s: an error, not a sign-in", base);
        CHECK(status != PC_ERR_PANIC, "token form to %s: no panic", base);
        pc_string_free(out);
    }
    pc_client_free(client);
}

/* The PUT body: an 8 MiB billing profile. */
static void put_body(const char *base) {
    pc_client *client = client_for(base, "\"access_token\":\"t\"");
    char *profile = big_profile(BIG);
    for (int i = 0; client && i < ROUNDS; i++) {
        char *out = NULL;
        pc_status status = pc_update_billing_profile(client, CUSTOMER, profile, &out);
        CHECK(status != PC_OK, "8 MiB PUT to %s: an error, not success", base);
        CHECK(status != PC_ERR_PANIC, "8 MiB PUT to %s: no panic", base);
        pc_string_free(out);
    }
    free(profile);
    pc_client_free(client);
}

/* The headers: an 8 MiB application_name on a bodiless GET (1 MiB fits in the socket's buffer
 * at once on loopback and dies only sometimes; 8 MiB needs writes after the peer is gone). */
static void big_header(const char *base) {
    char *name = filled('a', BIG);
    size_t n = BIG + 64;
    char *extra = malloc(n);
    snprintf(extra, n, "\"access_token\":\"t\",\"application_name\":\"%s\"", name);
    free(name);
    pc_client *client = client_for(base, extra);
    free(extra);
    for (int i = 0; client && i < ROUNDS; i++) {
        char *out = NULL;
        pc_status status = pc_get_customer(client, CUSTOMER, &out);
        CHECK(status != PC_OK, "8 MiB header to %s: an error, not success", base);
        CHECK(status != PC_ERR_PANIC, "8 MiB header to %s: no panic", base);
        pc_string_free(out);
    }
    pc_client_free(client);
}

/* SIGPIPE is SIG_DFL and not blocked in this thread: what the library found, it must leave. */
static int default_sigpipe(void) {
    struct sigaction now;
    sigset_t mask;
    sigaction(SIGPIPE, NULL, &now);
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    return now.sa_handler == SIG_DFL && !sigismember(&mask, SIGPIPE);
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s BASE_URL [token|put|headers]\n", argv[0]);
        return 2;
    }
    /* The default disposition, whatever the shell or the harness handed down. */
    signal(SIGPIPE, SIG_DFL);
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_UNBLOCK, &pipe_only, NULL);

    pthread_t server;
    start_server(&server);
    char hostile[64];
    snprintf(hostile, sizeof hostile, "http://127.0.0.1:%d", server_port);

    const char *only = argc == 3 ? argv[2] : NULL;
    const char *bases[] = {hostile, argv[1]};
    for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
        if (!only || !strcmp(only, "token")) {
            token_form(bases[b]);
            CHECK(default_sigpipe(), "token form: SIGPIPE disposition and mask restored");
        }
        if (!only || !strcmp(only, "put")) {
            put_body(bases[b]);
            CHECK(default_sigpipe(), "PUT body: SIGPIPE disposition and mask restored");
        }
        if (!only || !strcmp(only, "headers")) {
            big_header(bases[b]);
            CHECK(default_sigpipe(), "headers: SIGPIPE disposition and mask restored");
        }
    }

    atomic_store(&stop_server, 1);
    pthread_join(server, NULL);
    close(server_fd);
    return report();
}
