# Front door: `make run` and `make test` are the two set-up commands of the README.
# Both install what is missing (scripts/install-deps.sh), configure with a CMake preset and build with -j2.

DATA_DIR ?= ./var
LISTEN   ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: deps build run test test-tsan mutants bench fuzz windows-agent format tidy clean

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release --target rollcall

run: build
	@bash scripts/first-run.sh build/release/rollcall "$(DATA_DIR)" "$(LISTEN)"

# The test build (ASan + UBSan), the npm peers from their lockfile, then the release build of the programs and
# the benchmarks (warnings that only optimisation reveals are errors too), then every test.
test:
	@bash scripts/install-deps.sh test
	cmake --preset ci >/dev/null
	cmake --build --preset ci
	bash tests/peers/install.sh tests/peers build/ci/tests/peers
	cmake --preset release >/dev/null
	cmake --build --preset release --target rollcall rollcall-sim rollcall-agent bench_ingest bench_engine
	ctest --preset ci -j2

# ThreadSanitizer over the unit and integration tests (docs/testing.md).
test-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan
	ctest --preset tsan -j2

# Plants each curated bug of tests/mutants in a copy of the tree (build/mutants) and fails unless a test catches
# every one (docs/testing.md). MUTANTS="name ..." runs only those.
mutants:
	@bash scripts/install-deps.sh mutants
	python3 scripts/mutants.py $(if $(MUTANTS),--only $(MUTANTS))

bench:
	@bash scripts/install-deps.sh bench
	cmake --preset release >/dev/null
	cmake --build --preset release --target rollcall rollcall-sim rollcall-agent bench_ingest bench_engine
	bash bench/run.sh build/release

# libFuzzer needs clang, hence a separate build tree (build/fuzz) that builds only the fuzz targets. Each target
# runs for FUZZ_SECONDS, one after the other, from its committed corpus (tests/fuzz/corpus/NAME); what it finds
# goes to build/fuzz/corpus/NAME, a crashing input to build/fuzz/NAME-crash-*. FUZZ_TARGETS="..." runs only those.
FUZZ_TARGETS ?= zk_decoder push_decoder request_head
fuzz:
	@bash scripts/install-deps.sh fuzz
	CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLCALL_BUILD_FUZZ=ON \
		-DROLLCALL_BUILD_TESTS=OFF -DROLLCALL_BUILD_PANEL=OFF >/dev/null
	cmake --build build/fuzz --target $(addsuffix _fuzz,$(FUZZ_TARGETS)) --parallel $(FUZZ_JOBS)
	set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus/$$t; \
		build/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/fuzz/$$t- \
			build/fuzz/corpus/$$t tests/fuzz/corpus/$$t; \
	done

# rollcall-agent.exe for 64-bit Windows, cross-compiled with mingw-w64 (docs/agent.md "Windows").
windows-agent:
	@bash scripts/install-deps.sh windows
	cmake -S . -B build/windows -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake -DCMAKE_BUILD_TYPE=Release \
		-DROLLCALL_WERROR=ON >/dev/null
	cmake --build build/windows --target rollcall-agent --parallel 2
	@echo "built build/windows/rollcall-agent.exe"

format:
	find src apps tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

# clang-tidy with the checks of .clang-tidy over every file of src/, apps/ and tests/ (the ci preset's compile
# commands) and bench/ (the release preset's: only it builds the benchmarks). About 15 s a file, so not part of
# `make test`: run it before landing (docs/testing.md). TIDY_FILES narrows it: a regex on the path from the
# top of the tree, e.g. TIDY_FILES='src/agent/|tests/unit/agent/'.
TIDY_JOBS  ?= 2
TIDY_FILES ?= src/|apps/|tests/|bench/
tidy:
	@bash scripts/install-deps.sh tidy
	cmake --preset ci >/dev/null
	cmake --preset release >/dev/null
	run-clang-tidy -quiet -j $(TIDY_JOBS) -p build/ci '^$(CURDIR)/(?!bench/)($(TIDY_FILES))'
	run-clang-tidy -quiet -j $(TIDY_JOBS) -p build/release '^$(CURDIR)/(?=bench/)($(TIDY_FILES))'

clean:
	rm -rf build
