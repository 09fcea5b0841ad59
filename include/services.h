/* SPDX-License-Identifier: MIT */
/*
 * TCP port -> service name, as nmap prints it in the SERVICE column: from
 * nmap's nmap-services file when it is installed, else from a built-in table
 * of common ports (the same names nmap uses). Ports with no name are
 * "unknown", as in nmap.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SERVICES_PATH "/usr/share/nmap/nmap-services"

struct services {
	const char **names; /* 65536 entries, NULL = no name */
	char *text;	    /* the file's contents, which names point into */
};

/*
 * Fills sv from the nmap-services file at path (NULL: SERVICES_PATH), or from
 * the built-in table when that file cannot be read. Returns 0, or -ENOMEM
 * (then sv has no names and every port is "unknown").
 */
int services_load(struct services *sv, const char *path);

/*
 * Parses nmap-services text ("ssh\t22/tcp\t0.18\t# comment"), which sv takes
 * ownership of (len bytes, NUL-terminated by the caller), keeping TCP entries;
 * the first name of a port wins. Returns 0 or -ENOMEM.
 */
int services_parse(struct services *sv, char *text, size_t len);

/* Fills sv from the built-in table. Returns 0 or -ENOMEM. */
int services_builtin(struct services *sv);

/* The service name of a TCP port, or "unknown". */
const char *services_name(const struct services *sv, uint16_t port);

/* Frees what sv owns. */
void services_free(struct services *sv);
