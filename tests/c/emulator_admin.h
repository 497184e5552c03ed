/* The emulator's admin API for the C tests: a plain HTTP/1.1 POST over loopback, without the
 * library under test. */
#ifndef PC_TEST_EMULATOR_ADMIN_H
#define PC_TEST_EMULATOR_ADMIN_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* POST to path of the emulator at base_url ("http://127.0.0.1:PORT") with an empty JSON body;
 * returns the HTTP status, or -1 when the emulator cannot be reached. */
static inline int emulator_post(const char *base_url, const char *path) {
    const char *hostport = base_url + strlen("http://");
    const char *colon = strrchr(hostport, ':');
    int port = atoi(colon + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    char req[512];
    int len = snprintf(req, sizeof req,
                       "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
                       path);
    if (write(fd, req, (size_t)len) != len) {
        close(fd);
        return -1;
    }
    char resp[64] = {0};
    ssize_t got = read(fd, resp, sizeof resp - 1);
    close(fd);
    if (got < 12) return -1;
    return atoi(resp + 9);
}

#endif
