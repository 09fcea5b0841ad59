# SPDX-License-Identifier: MIT
# libFuzzer targets, included by the top Makefile. Each tests/fuzz/fuzz_<name>.c
# is one clang -fsanitize=fuzzer,address,undefined binary linking the modules it
# parses with (built again with clang and the same sanitizers, in FUZZ_BUILD).
# `make fuzz` builds them all and runs each for FUZZ_SECONDS on its seed corpus,
# tests/fuzz/corpus/<name>/; new inputs go to FUZZ_BUILD/corpus/<name>/.

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_BUILD	?= build-fuzz
FUZZ_CFLAGS	:= -std=c11 -g -O1 -pthread -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=all
# The whole library, so a target may drive any parser (fuzz_resume reaches
# cli_parse(), which names the send backends); each binary links only the
# objects it uses.
FUZZ_LIB_SRC	:= $(LIB_SRC)
FUZZ_LIB_OBJ	:= $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB	:= $(FUZZ_BUILD)/libhayate-fuzz.a
FUZZ_SRC	:= $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN	:= $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
DEPS		+= $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	$(Q)FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BIN)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(call say,FUZZCC,$<)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(call say,FUZZLD,$@)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(filter %.o,$^) $(FUZZ_LIB) $(filter-out -ljemalloc,$(LDLIBS)) -lm

# A target for one of the tools' modules links that module as well.
$(FUZZ_BUILD)/fuzz_pcap_walk $(FUZZ_BUILD)/fuzz_walk_vs_libpcap: \
	$(FUZZ_BUILD)/tools/detect/pcap_walk.o $(FUZZ_BUILD)/tools/detect/pcapng_walk.o
