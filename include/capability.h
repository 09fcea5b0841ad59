/* SPDX-License-Identifier: MIT */
/*
 * Whether this process may send raw packets. The SYN, UDP and ping scans need
 * CAP_NET_RAW (in the network namespace's owning user namespace); without it
 * main falls back to the connect scan. Asking the kernel for a packet socket
 * answers exactly that question, where reading capability sets would miss
 * user namespaces and LSM policy.
 */
#pragma once

#include <stdbool.h>

/* True if a raw packet socket can be opened (it is closed again at once). */
bool capability_has_net_raw(void);
