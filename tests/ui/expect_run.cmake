# Runs a command and checks both its exit status and its output, which a
# plain add_test cannot do at once (PASS_REGULAR_EXPRESSION ignores the status).
#   cmake -DEXPECT_EXIT=<n> [-DEXPECT_STDOUT=<regex>] [-DEXPECT_STDERR=<regex>]
#         [-DEXPECT_FILE=<path>] -P expect_run.cmake -- <command> [args...]
set(_command)
set(_seen_separator FALSE)
math(EXPR _last "${CMAKE_ARGC} - 1")
foreach(_i RANGE 0 ${_last})
  if(_seen_separator)
    list(APPEND _command "${CMAKE_ARGV${_i}}")
  elseif("${CMAKE_ARGV${_i}}" STREQUAL "--")
    set(_seen_separator TRUE)
  endif()
endforeach()
if(NOT _command)
  message(FATAL_ERROR "expect_run.cmake: no command after --")
endif()
if(DEFINED EXPECT_FILE)
  file(REMOVE "${EXPECT_FILE}")
endif()

execute_process(COMMAND ${_command}
  RESULT_VARIABLE _status OUTPUT_VARIABLE _stdout ERROR_VARIABLE _stderr TIMEOUT 120)
message("--- stdout ---\n${_stdout}--- stderr ---\n${_stderr}--- exit status: ${_status}")

if(NOT "${_status}" STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "expected exit status ${EXPECT_EXIT}, got ${_status}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT _stdout MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout does not match: ${EXPECT_STDOUT}")
endif()
if(DEFINED EXPECT_STDERR AND NOT _stderr MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match: ${EXPECT_STDERR}")
endif()
if(DEFINED EXPECT_FILE AND NOT EXISTS "${EXPECT_FILE}")
  message(FATAL_ERROR "expected ${EXPECT_FILE} to be written")
endif()
