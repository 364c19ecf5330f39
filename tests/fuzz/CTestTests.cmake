# Included from tests/CMakeLists.txt: runs the manifest reader's fuzzer for a
# bounded time as part of the normal test command. Its clang build lives in
# the main build directory, so a CI checkout stays clean. Label `fuzz`:
# `ctest -LE fuzz` leaves it out, `ctest -L fuzz` runs only it.
set(PODSCOPE_FUZZ_SECONDS 60 CACHE STRING "How long the fuzz.manifest_reader test fuzzes")
add_test(NAME fuzz.manifest_reader COMMAND ${PROJECT_SOURCE_DIR}/scripts/fuzz.sh ${PODSCOPE_FUZZ_SECONDS})
set_tests_properties(fuzz.manifest_reader PROPERTIES
  LABELS fuzz
  TIMEOUT 400
  # The clang build takes both cores and the fuzzer one; alongside the
  # containerd tests, which run on real time, that would make them flaky.
  RUN_SERIAL TRUE
  ENVIRONMENT "PODSCOPE_FUZZ_BUILD_DIR=${CMAKE_BINARY_DIR}/fuzz")
