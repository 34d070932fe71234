# openstmf top-level commands. Everything builds through CMake presets (CMakePresets.json).
#   make run    install what is missing, build, start the default target
#   make test   install what is missing, build, run the whole suite (release + sanitizers)
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local
STATE_DIR ?= /var/lib/openstmf
RUN_DIR ?= /run/openstmf
FUZZ_SECONDS ?= 60

.PHONY: all deps build debug run test test-release test-asan test-tsan bench fuzz \
        format format-check tidy install clean

all: build

deps:
	@tools/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

debug: deps
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)

run: build
	tools/run-default.sh build "$(STATE_DIR)" "$(RUN_DIR)"

test: test-release test-asan test-tsan
	@echo "make test: release, asan-ubsan and tsan suites passed"

test-release: build
	ctest --preset release

test-asan: deps
	cmake --preset asan-ubsan >/dev/null
	cmake --build --preset asan-ubsan -j $(JOBS)
	ctest --preset asan-ubsan -L unit

test-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --preset tsan -L unit

bench: build
	bench/run-all.sh build

fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	tools/run-fuzzers.sh build-fuzz tests/fuzz/corpus $(FUZZ_SECONDS)

format:
	git ls-files '*.h' '*.cc' '*.c' | xargs clang-format -i

format-check:
	git ls-files '*.h' '*.cc' '*.c' | xargs clang-format --dry-run -Werror

tidy: build
	git ls-files 'src/*.cc' 'tools/*.cc' | xargs clang-tidy -p build --quiet

install: build
	cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-debug build-asan build-tsan build-fuzz
