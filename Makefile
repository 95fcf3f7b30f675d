# duban — `make run` and `make test` install what is missing, build, then run or test.
# Build flavours live side by side under build/: release (-O2), test (ASan+UBSan), bench,
# tsan (ThreadSanitizer; `make tsan`, outside `make test`: uninstrumented libraries report falsely).
PKGS     := sqlite3 libpq jansson libsodium libmicrohttpd libxml-2.0 libqrencode libpng xlsxwriter minizip libcurl libcrypto
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS_release := -O2 -g
CFLAGS_test    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DEXPORT_PAGE_ROWS=16 -DDUBAN_MUTANTS
CFLAGS_bench   := -O2 -DNDEBUG
CFLAGS_tsan    := -O1 -g -fsanitize=thread -DEXPORT_PAGE_ROWS=16
CC_fuzz        := clang-14
CFLAGS_fuzz    := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DB       ?= duban.db
LISTEN   ?= 127.0.0.1:8080

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
CLI_SRC  := src/cli/main.c
TEST_SRC := $(wildcard tests/*/test_*.c)
BENCH_SRC:= $(wildcard bench/bench_*.c)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

UI_SRC   := $(shell find ui -type f) package.json package-lock.json

.PHONY: all run test bench tsan fuzz fuzz-smoke reliability deps clean calendar-data
all: build/release/duban build/web/index.html

deps:
	@scripts/bootstrap.sh test

# One pattern for every flavour: build/<flavour>/<path>.o
define flavour
build/$(1)/%.o: %.c | deps-$(1)
	@mkdir -p $$(@D)
	@echo "  CC $$<" && $$(or $$(CC_$(1)),$$(CC)) $$(WARN) $$(CFLAGS_$(1)) -Isrc $$(shell pkg-config --cflags $$(PKGS)) -MMD -MP -c $$< -o $$@
build/$(1)/libduban.a: $$(LIB_SRC:%.c=build/$(1)/%.o)
	@rm -f $$@ && ar rcs $$@ $$^
build/$(1)/duban: build/$(1)/src/cli/main.o build/$(1)/libduban.a
	@echo "  LD $$@" && $$(or $$(CC_$(1)),$$(CC)) $$(CFLAGS_$(1)) -o $$@ $$^ $$(shell pkg-config --libs $$(PKGS)) -lm -lpthread
.PHONY: deps-$(1)
deps-$(1): ; @scripts/bootstrap.sh $(1)
-include $$(shell find build/$(1) -name '*.d' 2>/dev/null)
endef
$(foreach f,release test bench tsan fuzz,$(eval $(call flavour,$(f))))

# Files embedded into the binary with .incbin.
$(foreach f,release test bench tsan fuzz,build/$(f)/src/core/calendar_builtin.o): $(wildcard data/calendar/*.json)
$(foreach f,release test bench tsan fuzz,build/$(f)/src/http/res_openapi.o): docs/openapi.yaml

build/test/tests/%: tests/%.c build/test/libduban.a
	@mkdir -p $(@D) && echo "  LD $@"
	@$(CC) $(WARN) $(CFLAGS_test) -Isrc -Itests -I. $(shell pkg-config --cflags $(PKGS) cmocka yaml-0.1) -MMD -MP -MF $@.d -MT $@ \
	  $< -o $@ build/test/libduban.a $(shell pkg-config --libs $(PKGS) cmocka yaml-0.1) -lm -lpthread

# libFuzzer targets (clang): fuzz/README.md
build/fuzz/fuzz/%: fuzz/%.c build/fuzz/libduban.a
	@mkdir -p $(@D) && echo "  LD $@"
	@$(CC_fuzz) $(WARN) $(CFLAGS_fuzz) -fsanitize=fuzzer -Isrc $(shell pkg-config --cflags $(PKGS)) -MMD -MP -MF $@.d -MT $@ \
	  $< -o $@ build/fuzz/libduban.a $(shell pkg-config --libs $(PKGS)) -lm -lpthread

build/bench/bench/%: bench/%.c build/bench/libduban.a
	@mkdir -p $(@D) && echo "  LD $@"
	@$(CC) $(WARN) $(CFLAGS_bench) -Isrc -I. $(shell pkg-config --cflags $(PKGS)) -MMD -MP -MF $@.d -MT $@ \
	  $< -o $@ build/bench/libduban.a $(shell pkg-config --libs $(PKGS)) -lm -lpthread

# The web interface: Vue and Element Plus through Vite (scripts/build-ui.sh).
build/web/index.html: $(UI_SRC) | deps-release
	@echo "  UI build/web" && scripts/build-ui.sh

run: build/release/duban build/web/index.html
	@scripts/run.sh build/release/duban $(DB) $(LISTEN)

# The release build too: `make run` must compile wherever the tests pass (-O2 warns of more).
test: build/test/duban build/release/duban build/web/index.html $(TEST_SRC:%.c=build/test/%) $(FUZZ_SRC:%.c=build/fuzz/%)
	@tests/run.sh build/test $(TEST_SRC:%.c=build/test/%)

# Each fuzz target over its corpus, briefly (make test does this too), or for
# FUZZ_SECONDS each (a campaign: docs/reliability.md).
fuzz-smoke: $(FUZZ_SRC:%.c=build/fuzz/%)
	@tests/fuzz.sh 10 $^
fuzz: $(FUZZ_SRC:%.c=build/fuzz/%)
	@tests/fuzz.sh $(or $(FUZZ_SECONDS),600) $^

# docs/reliability.md, from a run of the reliability suites and a fuzz campaign.
reliability: build/test/duban build/bench/duban build/bench/bench/bench_slow $(TEST_SRC:%.c=build/test/%) $(FUZZ_SRC:%.c=build/fuzz/%)
	@scripts/reliability.sh

# The server suites against a ThreadSanitizer server (the test programs are
# the usual ones; the races to find are in the server).
HTTP_TESTS := $(patsubst %.c,build/test/%,$(filter tests/http/%,$(TEST_SRC)))
tsan: build/tsan/duban $(HTTP_TESTS)
	@tests/run.sh --server build/tsan/duban build/test $(HTTP_TESTS)

bench: build/bench/duban build/web/index.html $(BENCH_SRC:%.c=build/bench/%)
	@bench/run.sh build/bench

calendar-data:
	npm ci --no-audit --no-fund && node scripts/gen-calendar.mjs

clean:
	rm -rf build
