# The Debian package: `cpack -G DEB` in a build directory (scripts/package.sh
# makes a release build first and runs it). What goes into the package is
# what `cmake --install` lays out (packaging/CMakeLists.txt).

set(PODSCOPE_PACKAGE_RELEASE "1" CACHE STRING "Debian revision of the package (the -N after the version)")
set(PODSCOPE_PACKAGE_MAINTAINER "Podscope maintainers <maintainers@podscope.dev>"
    CACHE STRING "The Maintainer field of the .deb")

# The changelog's latest entry must be this version, or dpkg and lintian
# would disagree about what the package is.
file(STRINGS "${PROJECT_SOURCE_DIR}/packaging/changelog" _podscope_changelog_head LIMIT_COUNT 1)
set(_podscope_deb_version "${PROJECT_VERSION}-${PODSCOPE_PACKAGE_RELEASE}")
if(NOT _podscope_changelog_head MATCHES "^podscope \\(${_podscope_deb_version}\\) ")
  message(WARNING "packaging/changelog's latest entry is not for ${_podscope_deb_version}: "
                  "add one before making a package (${_podscope_changelog_head})")
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "podscope")
set(CPACK_PACKAGE_VENDOR "The Podscope developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${PODSCOPE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Kubernetes pod lifecycle viewer and local runner")

set(CPACK_DEBIAN_PACKAGE_NAME "podscope")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${PODSCOPE_PACKAGE_RELEASE}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PODSCOPE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Shared libraries the programs link come from dpkg-shlibdeps. libcurl is
# opened with dlopen() only when an image is pulled (registry_client.cpp),
# so nothing links it and dpkg-shlibdeps cannot see it; the Qt SVG plugins
# draw the window's icons but are loaded, not linked.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4")
if(PODSCOPE_BUILD_GUI)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libqt6svg6")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "containerd, runc")
# The extended description; CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY
# before it as the synopsis, indents each line and writes an empty line as
# " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [=[Podscope shows, before and without a cluster, exactly what a Kubernetes pod
will do: init containers in order, sidecars, postStart and preStop hooks,
startup, liveness and readiness probes, restarts with the kubelet's
back-off, and graceful termination, drawn on a timeline with the states,
reasons and messages kubectl uses.

Pods run on a deterministic built-in simulator that works on virtual time,
or for real on a local containerd through its native API. The desktop
application has a YAML editor that checks manifests as the API server
does; podscope-cli runs and checks manifests from scripts and CI and
writes whole runs as JSON.]=])
# No project web site exists yet; CPACK_DEBIAN_PACKAGE_HOMEPAGE is left out.

include(CPack)
