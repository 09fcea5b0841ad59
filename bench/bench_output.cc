// SPDX-License-Identifier: MIT
/*
 * Nanoseconds per result written, per streaming format, into /dev/null (so
 * the cost is the format's, not the disk's): the binary format must cost far
 * less than JSON. Results vary in address, port and state as a scan's do.
 */
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>

extern "C" {
#include "output.h"
}

static void bench_format(benchmark::State &state, const struct output_ops *ops)
{
	struct output_info info = {};
	FILE *fp = fopen("/dev/null", "w");
	struct output o = {};
	struct result r = {1700000000123456789ULL, 0xc6120000, 80, 6, 1, 1, 64, 65483};

	info.args = "hayate 198.18.0.0/16 -p 80";
	info.ports = "80";
	info.ports_total = 1;
	info.targets_total = 65536;
	o.ops = ops;
	o.fp = fp;
	if (!fp || output_open(&o, &info)) {
		state.SkipWithError("cannot open /dev/null");
		return;
	}
	for (auto _ : state) {
		r.addr++;
		r.port = static_cast<uint16_t>(r.addr % 1000 + 1);
		r.time_ns += 997;
		output_write(&o, &r);
	}
	output_close(&o, &info);
	fclose(fp);
	state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(bench_format, binary, &output_binary_ops);
BENCHMARK_CAPTURE(bench_format, json, &output_json_ops);
BENCHMARK_CAPTURE(bench_format, list, &output_list_ops);
BENCHMARK_CAPTURE(bench_format, text, &output_text_ops);

BENCHMARK_MAIN();
