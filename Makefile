# Front door: `make run` and `make test` are the two set-up commands of the README.
# Both install what is missing (scripts/install-deps.sh), configure with a CMake preset and build with -j2.

DATA_DIR ?= ./var
LISTEN   ?= 127.0.0.1:8080
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: deps build run test bench format clean

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release --target rollcall

run: build
	@bash scripts/first-run.sh build/release/rollcall "$(DATA_DIR)" "$(LISTEN)"

test: deps
	cmake --preset ci >/dev/null
	cmake --build --preset ci
	ctest --preset ci -j2

bench: deps
	cmake --preset release >/dev/null
	cmake --build --preset release --target rollcall bench_ingest bench_engine
	bash bench/run.sh build/release

format:
	find src apps tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
