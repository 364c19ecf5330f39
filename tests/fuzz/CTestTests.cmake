# Included from tests/CMakeLists.txt: runs the fuzzers of the manifest
# reader and of the record readers for a bounded time as part of the normal
# test command, one test each, sharing PODSCOPE_FUZZ_SECONDS between them.
# Their clang build lives in the main build directory, so a CI checkout stays
# clean; the first test to run builds the src/core library both link, the
# second only its own fuzzer. Label `fuzz`: `ctest -LE fuzz` leaves them out, `ctest -L fuzz`
# runs only them.
set(PODSCOPE_FUZZ_SECONDS 60 CACHE STRING "How long the fuzz tests fuzz in all, shared between the two targets")
math(EXPR _podscope_fuzz_manifest_seconds "(${PODSCOPE_FUZZ_SECONDS} + 1) / 2")
math(EXPR _podscope_fuzz_record_seconds "${PODSCOPE_FUZZ_SECONDS} - ${_podscope_fuzz_manifest_seconds}")
if(_podscope_fuzz_record_seconds LESS 1)
  set(_podscope_fuzz_record_seconds 1)
endif()

add_test(NAME fuzz.manifest_reader
         COMMAND ${PROJECT_SOURCE_DIR}/scripts/fuzz.sh ${_podscope_fuzz_manifest_seconds} manifest)
add_test(NAME fuzz.record_reader
         COMMAND ${PROJECT_SOURCE_DIR}/scripts/fuzz.sh ${_podscope_fuzz_record_seconds} record)
set_tests_properties(fuzz.manifest_reader fuzz.record_reader PROPERTIES
  LABELS fuzz
  # A fresh clang build of src/core takes a few minutes on two busy cores;
  # only the first of the two tests pays for it.
  TIMEOUT 400
  # The clang build takes both cores and the fuzzer one; alongside the
  # containerd tests, which run on real time, that would make them flaky.
  RUN_SERIAL TRUE
  ENVIRONMENT "PODSCOPE_FUZZ_BUILD_DIR=${CMAKE_BINARY_DIR}/fuzz")
