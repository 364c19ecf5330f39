# podscope_grpc: gRPC, protobuf and Abseil for Podscope's programs.
#
# Linked statically when the static archives are installed (Debian's
# libgrpc++-dev, libprotobuf-dev and libabsl-dev ship them): the loader then
# no longer maps and relocates some 55 shared libraries at every start,
# which makes `podscope-cli run` reach its pod about 10 ms sooner. OpenSSL
# and zlib stay shared. Every target that uses gRPC must link this, never
# gRPC::grpc++ beside it, or a program would hold two copies of gRPC.

find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)

option(PODSCOPE_STATIC_GRPC "Link gRPC, protobuf and Abseil statically when their archives are installed" ON)

if(TARGET podscope_grpc)
  return()
endif()
add_library(podscope_grpc INTERFACE)
foreach(imported IN ITEMS gRPC::grpc++ protobuf::libprotobuf)
  get_target_property(_includes ${imported} INTERFACE_INCLUDE_DIRECTORIES)
  if(_includes)
    target_include_directories(podscope_grpc SYSTEM INTERFACE ${_includes})
  endif()
endforeach()

set(_podscope_grpc_archives "")
set(_podscope_grpc_static ${PODSCOPE_STATIC_GRPC})
if(_podscope_grpc_static)
  foreach(name IN ITEMS grpc++ grpc gpr upb re2 cares address_sorting protobuf)
    string(MAKE_C_IDENTIFIER "PODSCOPE_ARCHIVE_${name}" var)
    find_library(${var} NAMES lib${name}.a)
    if(NOT ${var})
      message(STATUS "lib${name}.a not found: gRPC is linked as shared libraries")
      set(_podscope_grpc_static OFF)
      break()
    endif()
    list(APPEND _podscope_grpc_archives "${${var}}")
  endforeach()
endif()
if(_podscope_grpc_static)
  get_filename_component(_archive_dir "${PODSCOPE_ARCHIVE_grpc}" DIRECTORY)
  file(GLOB _absl_archives "${_archive_dir}/libabsl_*.a")
  if(NOT _absl_archives)
    message(STATUS "Abseil's archives not found: gRPC is linked as shared libraries")
    set(_podscope_grpc_static OFF)
  endif()
endif()

if(_podscope_grpc_static)
  message(STATUS "gRPC, protobuf and Abseil: linked statically")
  # The archives depend on one another in cycles: the linker rescans them
  # as a group.
  target_link_libraries(podscope_grpc INTERFACE
    "$<LINK_GROUP:RESCAN,${_podscope_grpc_archives};${_absl_archives}>"
    OpenSSL::SSL OpenSSL::Crypto ZLIB::ZLIB Threads::Threads)
else()
  target_link_libraries(podscope_grpc INTERFACE gRPC::grpc++ protobuf::libprotobuf)
endif()
