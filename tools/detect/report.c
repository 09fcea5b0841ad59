// SPDX-License-Identifier: MIT
/*
 * The JSON object's fields, in order: src, kind, then the kind's own
 * (port_scan: host and ports; address_sweep: port and hosts; trw: failures
 * and successes), then probes, failed, first, last (capture time, seconds
 * since the epoch with nanoseconds) and tool (a name or null). Addresses are
 * dotted quads, so no field ever needs escaping.
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>

#define NS_PER_S ((uint64_t)1000000000)

const char *report_kind_name(enum alert_kind kind)
{
	switch (kind) {
	case ALERT_PORT_SCAN:
		return "port_scan";
	case ALERT_ADDRESS_SWEEP:
		return "address_sweep";
	case ALERT_TRW:
		return "trw";
	case ALERT_KINDS:
		break;
	}
	return "unknown";
}

struct report_addr {
	char text[16];
};

static struct report_addr report_addr(uint32_t a)
{
	struct report_addr out;

	snprintf(out.text, sizeof(out.text), "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
	return out;
}

int report_json(const struct alert *a, char *buf, size_t size)
{
	const char *tool = fingerprint_name(a->hint);
	char detail[80], tool_json[24];

	switch (a->kind) {
	case ALERT_PORT_SCAN:
		snprintf(detail, sizeof(detail), "\"host\":\"%s\",\"ports\":%" PRIu32,
			 report_addr(a->host).text, a->count);
		break;
	case ALERT_ADDRESS_SWEEP:
		snprintf(detail, sizeof(detail), "\"port\":%u,\"hosts\":%" PRIu32, a->port,
			 a->count);
		break;
	default:
		snprintf(detail, sizeof(detail), "\"failures\":%" PRIu32 ",\"successes\":%" PRIu32,
			 a->trw_failures, a->trw_successes);
		break;
	}
	snprintf(tool_json, sizeof(tool_json), tool ? "\"%s\"" : "null", tool);
	return snprintf(buf, size,
			"{\"src\":\"%s\",\"kind\":\"%s\",%s,\"probes\":%" PRIu64
			",\"failed\":%" PRIu64 ",\"first\":%" PRIu64 ".%09" PRIu64
			",\"last\":%" PRIu64 ".%09" PRIu64 ",\"tool\":%s}\n",
			report_addr(a->src).text, report_kind_name(a->kind), detail, a->probes,
			a->failed, a->first_ns / NS_PER_S, a->first_ns % NS_PER_S,
			a->last_ns / NS_PER_S, a->last_ns % NS_PER_S, tool_json);
}

int report_text(const struct alert *a, char *buf, size_t size)
{
	const char *tool = fingerprint_name(a->hint);
	char what[96];

	switch (a->kind) {
	case ALERT_PORT_SCAN:
		snprintf(what, sizeof(what), "%" PRIu32 " ports of %s failed", a->count,
			 report_addr(a->host).text);
		break;
	case ALERT_ADDRESS_SWEEP:
		snprintf(what, sizeof(what), "port %u failed on %" PRIu32 " hosts", a->port,
			 a->count);
		break;
	default:
		snprintf(what, sizeof(what),
			 "random walk says scanner after %" PRIu32 " failed and %" PRIu32
			 " answered first contacts",
			 a->trw_failures, a->trw_successes);
		break;
	}
	return snprintf(buf, size, "ALERT %s from %s: %s; %" PRIu64 " probes in %.3f s%s%s\n",
			report_kind_name(a->kind), report_addr(a->src).text, what, a->probes,
			(double)(a->last_ns - a->first_ns) / NS_PER_S, tool ? ", looks like " : "",
			tool ? tool : "");
}
