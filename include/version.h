/* SPDX-License-Identifier: MIT */
/* The release version, printed by --version and recorded in output headers. */
#pragma once

#define HAYATE_VERSION "0.1.0"
