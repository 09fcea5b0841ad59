# SPDX-License-Identifier: MIT
# One non-recursive Makefile. Every object but core/main.o goes into
# build/libhayate.a, which the binary, the tests and the benchmarks all link,
# so there is one source list: the folders themselves.

BUILD	?= build
CC	?= cc
CXX	?= c++
PKGS	:= libpcap liburing jemalloc
V	?= 0
# AF_XDP (tx/send_xdp.c) is built when libxdp and libbpf are installed; HAVE_XDP=0 leaves it out.
HAVE_XDP ?= $(shell pkg-config --exists libxdp libbpf 2>/dev/null && echo 1 || echo 0)
ifeq ($(HAVE_XDP),1)
PKGS	+= libxdp libbpf
endif

CPPFLAGS += -iquote include -MMD -MP -D_GNU_SOURCE -DHAVE_XDP=$(HAVE_XDP)
CFLAGS	 ?= -O2 -g
CFLAGS	 += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS	 += -pthread
LDLIBS	 += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcap -luring -ljemalloc) -pthread

ifeq ($(SANITIZE),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
# jemalloc and ASan both want to own malloc.
LDLIBS	:= $(filter-out -ljemalloc,$(LDLIBS))
endif

ifeq ($(V),0)
Q	= @
say	= @printf '  %-6s %s\n' $(1) $(2);
else
Q	=
say	=
endif

LIB_SRC	:= $(filter-out core/main.c,$(wildcard core/*.c tx/*.c rx/*.c))
ifneq ($(HAVE_XDP),1)
LIB_SRC	:= $(filter-out tx/send_xdp.c,$(LIB_SRC))
endif
LIB_OBJ	:= $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/core/main.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/e2e/*.c)
TOOL_BIN := $(TOOL_SRC:tests/e2e/%.c=$(BUILD)/e2e/%)
LIB	:= $(BUILD)/libhayate.a
DEPS	:= $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BIN:=.d) $(TOOL_BIN:=.d)

# Files that must stay free of I/O: checked by `make check-pure`.
PURE	:= core/targets.c core/reserved.c core/ports.c core/permute.c core/siphash.c \
	   core/cookie.c core/ratelimit.c core/addr.c core/cli_value.c tx/template.c rx/parse.c \
	   rx/validate.c rx/dedup.c core/binformat.c core/hosts.c core/payload.c core/portspec.c \
	   core/discovery.c tx/template_icmp.c tx/template_udp.c rx/validate_udp.c rx/validate_icmp.c \
	   tools/detect/lru.c tools/detect/attempts.c tools/detect/distinct.c tools/detect/trw.c \
	   tools/detect/fingerprint.c tools/detect/tracker.c \
	   tools/detect/tracker_prefetch.c tools/detect/table_mem.c tools/detect/pcap_walk.c \
	   tools/detect/pcapng_walk.c
FORMATTED := $(wildcard include/*.h core/*.c tx/*.c tx/*.h rx/*.c tests/*.c tests/*.h tests/e2e/*.c \
	     tests/fuzz/*.c tools/detect/*.[ch] tools/responder/*.[ch] bench/*.c)

.PHONY: all test unit e2e clean check-pure check-format format
all: bin/hayate $(TEST_BIN) $(TOOL_BIN)

bin/hayate: $(MAIN_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Per-test link flags: LDFLAGS_<test> (e.g. --wrap to script syscalls in a test).
$(BUILD)/tests/%: LDFLAGS += $(LDFLAGS_$*)
LDFLAGS_test_tx_backends := -Wl,--wrap=socket,--wrap=bind,--wrap=sendmmsg

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

$(BUILD)/e2e/%: tests/e2e/%.c $(LIB)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# The README's test command: unit tests, then (as root) the namespace tests.
test: all check-pure
	$(Q)BUILD=$(BUILD) tests/run.sh

unit: $(TEST_BIN)
	$(Q)BUILD=$(BUILD) tests/run.sh --unit

check-pure:
	$(Q)! grep -nE '#include <(pcap|liburing|sys/socket|linux/|net/if)|"(tx|rx)\.h"|\<(exit|clock_gettime|getrandom|printf|fprintf|fopen|puts)\(' $(PURE) \
		|| { echo "check-pure: I/O in a pure module (see above)"; exit 1; }

format:
	clang-format -i $(FORMATTED)

check-format:
	$(Q)clang-format --dry-run -Werror $(FORMATTED)

clean:
	rm -rf $(BUILD) bin

# Benchmarks: each bench/<name>.cc is one Google Benchmark binary linking the
# library; `make bench` builds them all and runs them one after the other.
BENCH_SRC := $(wildcard bench/*.cc)
BENCH_BIN := $(BENCH_SRC:bench/%.cc=$(BUILD)/bench/%)
DEPS	  += $(BENCH_BIN:=.d)

.PHONY: bench
bench: $(BENCH_BIN)
	$(Q)for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

$(BUILD)/bench/%: bench/%.cc $(LIB)
	@mkdir -p $(@D)
	$(call say,CXX,$<)$(CXX) -O2 -std=c++17 -iquote include -MMD -MP $(LDFLAGS) -o $@ $< \
		$(LIB) -lbenchmark -lpthread $(LDLIBS)

include tests/fuzz/fuzz.mk

-include $(DEPS)

# The stateless XDP responder (tools/responder) and the raw send loop
# (bench/rawsend.c), for bench/compare.sh. The responder needs clang and
# libbpf; without them it is skipped with a message and the rest still builds.
BPF_CLANG	?= clang
HAVE_RESPONDER	:= $(shell command -v $(BPF_CLANG) >/dev/null 2>&1 && pkg-config --exists libbpf && echo 1)
RESPONDER_BPF	:= $(BUILD)/tools/responder/responder.bpf.o
RAWSEND		:= $(BUILD)/bench/rawsend

.PHONY: responder compare
ifeq ($(HAVE_RESPONDER),1)
all: bin/hayate-responder
responder: bin/hayate-responder

$(RESPONDER_BPF): tools/responder/responder.bpf.c tools/responder/responder.h
	@mkdir -p $(@D)
	$(call say,BPF,$<)$(BPF_CLANG) -O2 -g -target bpf -Wall -Werror \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c -o $@ $<

bin/hayate-responder: tools/responder/responder.c tools/responder/responder.h $(RESPONDER_BPF)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) -D_GNU_SOURCE $(CFLAGS) $(LDFLAGS) \
		-DRESPONDER_BPF_OBJ='"$(abspath $(RESPONDER_BPF))"' -o $@ $< \
		$(shell pkg-config --libs libbpf)
else
all: responder
responder:
	@echo "  SKIP   bin/hayate-responder: needs clang and libbpf-dev (tools/install-deps.sh)"
endif

$(RAWSEND): bench/rawsend.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) -D_GNU_SOURCE $(CFLAGS) $(LDFLAGS) -o $@ $<

# hayate-detect, the scan detector (tools/detect/), reads frames through the
# library's rx/parse.c. Its tests, tests/test_detect_*.c, link every detect
# object but main.o; the core test counts allocations through --wrap.
#
# Its per-frame path crosses many small functions in several files, the
# parser among them, so the detector and its own copy of the parser's object
# are built with link-time optimization at -O3 (fat objects, so that the tests
# link them without it): about 10% of a frame's time.
DETECT_OBJ	:= $(patsubst %.c,$(BUILD)/%.o,$(wildcard tools/detect/*.c))
DETECT_LTO	:= -O3 -flto=auto -ffat-lto-objects -falign-functions=64
DETECT_PARSE	:= $(BUILD)/lto/rx/parse.o
$(DETECT_OBJ) $(DETECT_PARSE): CFLAGS += $(DETECT_LTO)
$(BUILD)/lto/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$< [lto])$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
all: bin/hayate-detect
bin/hayate-detect: $(DETECT_OBJ) $(DETECT_PARSE) $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(DETECT_LTO) $(LDFLAGS) -o $@ $^ $(LDLIBS)
DETECT_ALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc
$(BUILD)/tests/test_detect_core: LDFLAGS += $(DETECT_ALLOC_WRAP)
$(BUILD)/tests/test_detect_%: tests/test_detect_%.c $(filter-out %/main.o,$(DETECT_OBJ)) $(LIB)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out %.h,$^) -lcmocka \
		$(LDLIBS)
-include $(DETECT_OBJ:.o=.d)
# The same core test again over the plain-C bucket scans (tools/detect/ways.h without SSE2).
DETECT_SCALAR_OBJ := $(patsubst $(BUILD)/%,$(BUILD)/scalar/%,$(filter-out %/main.o,$(DETECT_OBJ)))
$(BUILD)/scalar/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$< [scalar])$(CC) $(CPPFLAGS) -DWAYS_SCALAR $(CFLAGS) -c -o $@ $<
all unit: $(BUILD)/tests/test_detect_core_scalar
$(BUILD)/tests/test_detect_core_scalar: LDFLAGS += $(DETECT_ALLOC_WRAP)
$(BUILD)/tests/test_detect_core_scalar: tests/test_detect_core.c $(DETECT_SCALAR_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(call say,CC,$< [scalar])$(CC) $(CPPFLAGS) -DWAYS_SCALAR $(CFLAGS) $(LDFLAGS) -o $@ \
		$(filter-out %.h,$^) -lcmocka $(LDLIBS)
-include $(DETECT_SCALAR_OBJ:.o=.d)

# hayate vs masscan vs ZMap on the responder testbed (root; ~10 min, QUICK=1 ~2 min).
compare: bin/hayate responder $(RAWSEND)
	$(Q)BUILD=$(BUILD) bench/compare.sh
