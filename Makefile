# mcred: plain Makefile with pkg-config.
#   make            release build: build/libmcred.a, build/mcred
#   make check      ASan+UBSan build of library + tests, then run them
#   make fuzz       libFuzzer targets, long run (FUZZ_SECONDS, default 300 each)
#   make bench      benchmarks (single core)
# Sources are picked up by wildcard so modules can be added without touching this file.

.DEFAULT_GOAL := all
SHELL := /bin/bash
CC      ?= cc
PKGS    := jansson libsodium libcjson openssl sqlite3 libpq zlib libmicrohttpd libqrencode libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# Front-ends (src/cli) see the public headers only: INCS is narrowed for them below.
INCS    := -Iinclude -Isrc
BASE_CFLAGS = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(INCS) $(PKG_CFLAGS) -fvisibility=hidden
OPT     ?= -O2 -g
SAN     := -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(sort $(wildcard src/*/*.c))
LIB_SRC := $(filter-out src/cli/% src/server/%,$(LIB_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
# `mcred serve` (src/server): linked into the mcred binary, not the library.
SERVER_SRC := $(sort $(wildcard src/server/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

B  := build
BS := build/san

# Generated sources: data files embedded as C strings (one source of truth).
GEN_SRC  := build/gen/context_mcred_v1.c
build/gen/context_mcred_v1.c: contexts/mcred-v1.jsonld scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh mc__context_mcred_v1 $< > $@

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/context_mcred_v1.o
LIB_SOBJ := $(LIB_SRC:%.c=$(BS)/%.o) $(BS)/gen/context_mcred_v1.o
# ---- JSON-LD bundled contexts (src/jsonld/loader.c): each file of
# contexts/bundled/ becomes mc__jsonld_ctx_<name> in one generated source.
JSONLD_CTX := $(sort $(wildcard contexts/bundled/*.jsonld))
build/gen/jsonld_contexts.c: $(JSONLD_CTX) scripts/embed.sh
	@mkdir -p $(dir $@)
	for f in $(JSONLD_CTX); do sh scripts/embed.sh mc__jsonld_ctx_$$(basename $$f .jsonld | tr -c 'A-Za-z0-9\n' '_') $$f || exit 1; done > $@
GEN_SRC  += build/gen/jsonld_contexts.c
LIB_OBJ  += $(B)/gen/jsonld_contexts.o
LIB_SOBJ += $(BS)/gen/jsonld_contexts.o
# ---- end JSON-LD bundled contexts
# ---- QA data (src/qa): each data/qa/<name>.json becomes mc__qa_data_<name>
QA_DATA := $(sort $(wildcard data/qa/*.json))
build/gen/qa_data.c: $(QA_DATA) scripts/embed.sh
	@mkdir -p $(dir $@)
	for f in $(QA_DATA); do sh scripts/embed.sh mc__qa_data_$$(basename $$f .json | tr -c 'A-Za-z0-9\n' '_') $$f || exit 1; done > $@
GEN_SRC  += build/gen/qa_data.c
LIB_OBJ  += $(B)/gen/qa_data.o
LIB_SOBJ += $(BS)/gen/qa_data.o
# ---- end QA data
# ---- web portal files (web/, written on the portal branch) and the OpenAPI
# document, embedded in the binary. The asset table is regenerated on every
# build and replaced only when it changed, so adding or deleting a file
# under web/ is picked up without a dependency list.
build/gen/web_assets.c: FORCE
	@mkdir -p $(dir $@)
	@sh scripts/embed_web.sh web > $@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }
build/gen/openapi.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh srv_openapi_json $< > $@
.PHONY: FORCE
FORCE:
SERVER_OBJ  := $(SERVER_SRC:%.c=$(B)/%.o) $(B)/gen/web_assets.o $(B)/gen/openapi.o
SERVER_SOBJ := $(SERVER_SRC:%.c=$(BS)/%.o) $(BS)/gen/web_assets.o $(BS)/gen/openapi.o
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o) $(SERVER_OBJ)
CLI_SOBJ := $(CLI_SRC:%.c=$(BS)/%.o) $(SERVER_SOBJ)
TESTS    := $(TEST_SRC:tests/%.c=$(BS)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(B)/bench/%)
FUZZERS  := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/%)

$(CLI_OBJ) $(CLI_SOBJ): INCS := -Iinclude
$(SERVER_OBJ) $(SERVER_SOBJ): INCS := -Iinclude
$(B)/gen/web_assets.o $(BS)/gen/web_assets.o: INCS := -Iinclude -Isrc

.PHONY: bench-bulk bench-catalogue
.PHONY: all check test bench fuzz fuzz-smoke clean demo san
all: $(B)/libmcred.a $(B)/mcred

$(B)/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(OPT) -c $< -o $@
$(BS)/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) -c $< -o $@
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(OPT) -MMD -MP -c $< -o $@
$(BS)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) -DMC_TEST_BUILD -MMD -MP -c $< -o $@

$(B)/libmcred.a: $(LIB_OBJ)
	@rm -f $@; ar rcs $@ $^
$(BS)/libmcred.a: $(LIB_SOBJ)
	@rm -f $@; ar rcs $@ $^

$(B)/mcred: $(CLI_OBJ) $(B)/libmcred.a
	$(CC) $(OPT) -o $@ $(CLI_OBJ) $(B)/libmcred.a $(PKG_LIBS) -lm -lpthread
$(BS)/mcred: $(CLI_SOBJ) $(BS)/libmcred.a
	$(CC) $(SAN) -o $@ $(CLI_SOBJ) $(BS)/libmcred.a $(PKG_LIBS) -lm -lpthread

$(BS)/tests/%: tests/%.c tests/testutil.h tests/store_fixture.h $(BS)/libmcred.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) -DMC_TEST_BUILD $< -o $@ $(BS)/libmcred.a $(PKG_LIBS) $(CHECK_LIBS) -lm

san: $(BS)/mcred $(TESTS)

# make check: every unit/vector test under ASan+UBSan, then the CLI tests against the sanitizer binary.
check: san
	@bash tests/run-unit.sh $(TESTS)
	@MCRED=$(BS)/mcred bash tests/cli/run.sh
	@MCRED=$(BS)/mcred bash tests/cli/store.sh && MCRED=$(BS)/mcred bash tests/cli/crash.sh
	@MCRED=$(BS)/mcred bash tests/store/upgrade.sh
	@MCRED=$(BS)/mcred bash tests/cli/qa.sh
	@MCRED=$(BS)/mcred bash tests/cli/trust.sh
	@MCRED=$(BS)/mcred bash tests/server/api.sh
	@MCRED=$(BS)/mcred bash tests/server/trust_api.sh
	@MCRED=$(BS)/mcred bash tests/server/qa_api.sh
test: check

$(B)/bench/%: bench/%.c $(B)/libmcred.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g $< -o $@ $(B)/libmcred.a $(PKG_LIBS) -lm
bench: $(BENCHES)
	@for b in $(BENCHES); do $$b $(BENCH_ARGS) || exit 1; done
# Bulk issuance into SQLite and PostgreSQL (1,000,000 rows by default; minutes).
bench-bulk: all $(B)/bench/bench_sign_verify
	@BENCH_BULK_ROWS=$(BENCH_BULK_ROWS) bash bench/bench_bulk.sh
BENCH_BULK_ROWS ?= 1000000
# Catalogue search over 200,000 generated offers (SQLite; PostgreSQL too with
# MCRED_TEST_PG) and pathway evaluations per second (docs/trust.md).
bench-catalogue: $(B)/bench/bench_catalogue
	@$(B)/bench/bench_catalogue
# mcred serve under wrk (POST /api/v1/verify, status list GET), 60 s per run.
.PHONY: bench-server
bench-server: all $(B)/bench/bench_sign_verify
	@BENCH_SERVER_SECONDS=$(BENCH_SERVER_SECONDS) bash bench/bench_server.sh
BENCH_SERVER_SECONDS ?= 60

FUZZ_CC ?= clang
$(B)/fuzz/%: fuzz/%.c $(LIB_SRC) $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -DMC_TEST_BUILD $< $(LIB_SRC) $(GEN_SRC) -o $@ $(PKG_LIBS) -lm
FUZZ_SECONDS ?= 300
fuzz: $(FUZZERS)
	@set -o pipefail; for f in $(FUZZERS); do n=$$(basename $$f); mkdir -p build/corpus/$$n fuzz/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 build/corpus/$$n fuzz/corpus/$$n \
	    > build/corpus/$$n.log 2>&1 || { tail -40 build/corpus/$$n.log; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^Done" build/corpus/$$n.log | tr '\n' ' '; echo; done
fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$${FUZZ_SMOKE_SECONDS:-10}

demo: all
	@bash scripts/demo.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
